/**
 * Every figure's run functions, by unique name: the module that sweep workers import. Each run first
 * selects the TensorFlow.js backend of its process (worker processes start without one).
 */
import { selectBackend } from '@emerge/core';
import * as characterLanguageModel from './figures/character-language-model.js';
import * as dataDiversity from './figures/data-diversity.js';
import * as doubleDescent from './figures/double-descent.js';
import * as doubleDescentNn from './figures/double-descent-nn.js';
import * as emergenceScale from './figures/emergence-scale.js';
import * as flatMinima from './figures/flat-minima.js';
import * as gradientFlow from './figures/gradient-flow.js';
import * as grokking from './figures/grokking.js';
import * as longRange from './figures/long-range-run.js';
import * as parallelism from './figures/parallelism.js';
import * as stepwiseSkills from './figures/stepwise-skills.js';

function withBackend<Config, Result>(
  run: (config: Config, seed: number) => Result | Promise<Result>,
): (config: Config, seed: number) => Promise<Result> {
  return async (config, seed) => {
    await selectBackend();
    return run(config, seed);
  };
}

export const characterLanguageModelRun = withBackend(characterLanguageModel.characterLanguageModelRun);
export const dataDiversityRun = withBackend(dataDiversity.dataDiversityRun);
export const dataDiversityViewsRun = withBackend(dataDiversity.dataDiversityViewsRun);
export const randomFeaturesRun = withBackend(doubleDescent.randomFeaturesRun);
export const regressionRiskRun = withBackend(doubleDescent.regressionRiskRun);
export const mlpDoubleDescentRun = withBackend(doubleDescentNn.mlpDoubleDescentRun);
export const longRangeRun = withBackend(longRange.longRangeRun);
export const gradientFlowRun = withBackend(gradientFlow.gradientFlowRun);
export const parallelismRun = withBackend(parallelism.parallelismRun);
export const stepwiseSkillsRun = withBackend(stepwiseSkills.stepwiseSkillsRun);
export const emergenceScaleRun = withBackend(emergenceScale.emergenceScaleRun);
export const grokkingRun = withBackend(grokking.grokkingRun);
export const flatMinimaRun = withBackend(flatMinima.flatMinimaRun);
