import { requireIntegerInRange, requireNumberInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** Options of {@link createTeacherRegression}. */
export interface TeacherRegressionOptions {
  /** Input dimension d, an integer in [1, 100000]. Required. */
  dimension: number;
  /** Number of examples n, an integer >= 1. Required. */
  count: number;
  /** Standard deviation sigma of the Gaussian noise added to each target, >= 0. Default: `0`. */
  noiseStd?: number;
  /** Seed of the inputs and the noise. Required. */
  seed: number;
  /** Seed of the teacher weights; give train and test sets the same one. Default: `seed`. */
  teacherSeed?: number;
}

/** Linear-teacher regression data in float64, for exact least-squares work. */
export interface TeacherRegression {
  /** `count` rows of `dimension` inputs, each entry N(0, 1). */
  readonly inputs: Float64Array;
  /** `inputs · teacher + noise` per row. */
  readonly targets: Float64Array;
  /** The teacher's weights, each N(0, 1/d) so that targets have variance about 1 + sigma^2. */
  readonly teacher: Float64Array;
}

/**
 * Random-teacher linear regression: x ~ N(0, I_d), y = x · w* + e with w* ~ N(0, I_d / d) and e ~ N(0,
 * sigma^2), the setting whose least-squares risk has a closed form (Breiman & Freedman 1983; Belkin, Hsu,
 * Xu 2020) against which the double-descent solver is checked.
 * @throws OptionError for out-of-range options.
 * @example
 * ```ts
 * import { createTeacherRegression } from '@emerge/core';
 *
 * const train = createTeacherRegression({ dimension: 100, count: 40, noiseStd: 0.2, seed: 1, teacherSeed: 7 });
 * train.inputs.length; // => 4000: 40 rows of 100 features
 * // The same teacher seed gives the same teacher for a test set drawn with another seed.
 * const test = createTeacherRegression({ dimension: 100, count: 1000, seed: 2, teacherSeed: 7 });
 * console.assert(train.inputs.length === 4000 && train.teacher[0] === test.teacher[0]);
 * ```
 */
export function createTeacherRegression(options: TeacherRegressionOptions): TeacherRegression {
  const dimension = requireIntegerInRange('dimension', options.dimension, 1, 100_000);
  const count = requireIntegerInRange('count', options.count, 1, 10_000_000);
  const noiseStd = requireNumberInRange('noiseStd', options.noiseStd ?? 0, 0, Number.POSITIVE_INFINITY);
  const teacherRandom = createRandom(options.teacherSeed ?? options.seed).fork('teacher-weights');
  const teacher = Float64Array.from(
    { length: dimension },
    () => teacherRandom.normal() / Math.sqrt(dimension),
  );
  const random = createRandom(options.seed).fork('teacher-data');
  const inputs = new Float64Array(count * dimension);
  const targets = new Float64Array(count);
  for (let row = 0; row < count; row++) {
    let target = 0;
    for (let column = 0; column < dimension; column++) {
      const value = random.normal();
      inputs[row * dimension + column] = value;
      target += value * (teacher[column] as number);
    }
    targets[row] = target + noiseStd * random.normal();
  }
  return { inputs, targets, teacher };
}
