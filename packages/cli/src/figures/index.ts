import type { FigureDefinition } from '../figure.js';
import { attentionMap } from './attention-map.js';
import { computeFrontier } from './compute-frontier.js';
import { dataDiversity } from './data-diversity.js';
import { dataScaling } from './data-scaling.js';
import { doubleDescent } from './double-descent.js';
import { doubleDescentNn } from './double-descent-nn.js';
import { emergenceScale } from './emergence-scale.js';
import { gradientFlow } from './gradient-flow.js';
import { grokking } from './grokking.js';
import { landscape1d } from './landscape-1d.js';
import { landscape2d } from './landscape-2d.js';
import { longRange } from './long-range.js';
import { parallelism } from './parallelism.js';
import { sharpnessBatch } from './sharpness-batch.js';
import { stepwiseSkills } from './stepwise-skills.js';

/** Every figure, in catalogue order (FIGURES.md). */
export const figures: readonly FigureDefinition[] = [
  dataScaling,
  dataDiversity,
  computeFrontier,
  longRange,
  gradientFlow,
  parallelism,
  attentionMap,
  doubleDescent,
  doubleDescentNn,
  sharpnessBatch,
  landscape1d,
  landscape2d,
  stepwiseSkills,
  emergenceScale,
  grokking,
];
