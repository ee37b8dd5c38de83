/**
 * Every figure's run functions, by unique name: the module that sweep workers import. Each run first
 * selects the TensorFlow.js backend of its process (worker processes start without one).
 */
import { selectBackend } from '@emerge/core';
import * as doubleDescent from './figures/double-descent.js';

function withBackend<Config, Result>(
  run: (config: Config, seed: number) => Result | Promise<Result>,
): (config: Config, seed: number) => Promise<Result> {
  return async (config, seed) => {
    await selectBackend();
    return run(config, seed);
  };
}

export const randomFeaturesRun = withBackend(doubleDescent.randomFeaturesRun);
export const regressionRiskRun = withBackend(doubleDescent.regressionRiskRun);
