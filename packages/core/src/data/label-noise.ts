import { requireIntegerInRange, requireNumberInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** Options of {@link applyLabelNoise}. */
export interface LabelNoiseOptions {
  /** Share of labels to corrupt, in [0, 1]; exactly `round(rate * n)` labels change. Required. */
  rate: number;
  /** Number of classes (labels lie in [0, classes)); an integer >= 2. Required. */
  classes: number;
  /** Seed of which labels change and to what. Required. */
  seed: number;
}

/** Labels after noise, and which positions were changed. */
export interface NoisyLabels {
  /** A new label array; the input is left untouched. */
  readonly labels: Uint8Array;
  /** Positions whose label was changed, ascending. */
  readonly flipped: Int32Array;
}

/**
 * Moves exactly `round(rate * n)` labels, chosen by the seed, to a different class drawn uniformly from
 * the other `classes - 1` (a fixed count rather than a per-example coin, so a "10% noise" run has
 * exactly 10% wrong labels, as in the double-descent papers).
 * @throws OptionError when `rate` is outside [0, 1], `classes` < 2 or a label is outside [0, classes).
 * @example
 * ```ts
 * import { applyLabelNoise } from '@emerge/core';
 *
 * const clean = new Uint8Array(100); // 100 labels of class 0
 * const { labels, flipped } = applyLabelNoise(clean, { rate: 0.2, classes: 10, seed: 3 });
 * flipped.length; // => 20: exactly 20% of the labels moved
 * console.assert(flipped.length === 20 && labels.filter((label) => label !== 0).length === 20);
 * ```
 */
export function applyLabelNoise(labels: ArrayLike<number>, options: LabelNoiseOptions): NoisyLabels {
  const rate = requireNumberInRange('rate', options.rate, 0, 1);
  const classes = requireIntegerInRange('classes', options.classes, 2, 256);
  const noisy = new Uint8Array(labels.length);
  for (let index = 0; index < labels.length; index++) {
    noisy[index] = requireIntegerInRange(`labels[${index}]`, labels[index], 0, classes - 1);
  }
  const random = createRandom(options.seed).fork('label-noise');
  const flipCount = Math.round(rate * labels.length);
  const flipped = Int32Array.from(random.permutation(labels.length).slice(0, flipCount)).sort();
  for (const position of flipped) {
    // Adding 1 .. classes-1 modulo classes reaches every other class exactly once.
    noisy[position] = ((noisy[position] as number) + 1 + random.integer(classes - 1)) % classes;
  }
  return { labels: noisy, flipped };
}
