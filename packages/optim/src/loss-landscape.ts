/**
 * Loss landscapes (Li, Xu, Taylor, Studer & Goldstein 2018; Goodfellow, Vinyals & Saxe 2015): metrics
 * along filter-normalized random directions (1-D slices, 2-D grids) and along the straight line between
 * two parameter vectors, returned as plain arrays with their coordinates.
 */

import { OptionError, type Random } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import {
  assignFlat,
  flattenTensors,
  type ParameterLayout,
  parameterLayout,
  requireLength,
} from './flat-parameters.js';

/** Options of {@link filterNormalizedDirection}. */
export interface FilterNormalizedDirectionOptions {
  /** The variables whose parameters set the filter norms. Required. */
  variables: ReadonlyMap<string, tf.Variable>;
  /** Source of the Gaussian direction. Required (directions must be reproducible). */
  random: Random;
  /**
   * Which axis of a weight tensor indexes its filters (output units). `last` fits tfjs kernels
   * (`[in, out]` dense, `[h, w, in, out]` convolution); `first` fits PyTorch-style `[out, in]`.
   * Default: `last`.
   */
  filterAxis?: 'first' | 'last';
  /**
   * Direction of 1-D parameters (biases, normalization gains): `zero`, as Li et al. do in their
   * experiments, or `normalize`, scaled as one filter to the vector's norm. Default: `zero`.
   */
  oneDimensional?: 'zero' | 'normalize';
}

/**
 * A random Gaussian direction in parameter space, with each filter rescaled to the norm of the same
 * filter of the parameters (Li et al. 2018), so that distances along it are comparable between
 * networks of different weight scales (a flat and a sharp minimum).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRandom } from '@emerge/core';
 * import { filterNormalizedDirection } from '@emerge/optim';
 *
 * // A [2 inputs, 3 filters] weight: each filter (column, by default the last axis) of the direction
 * // gets the norm of the same filter of the weight.
 * const weight = tf.variable(tf.tensor2d([[3, 0, 1], [4, 0, 1]]));
 * const direction = filterNormalizedDirection({ variables: new Map([['weight', weight]]), random: createRandom(1) });
 * direction.length; // => 6
 * console.assert(direction.length === 6);
 * ```
 */
export function filterNormalizedDirection(options: FilterNormalizedDirectionOptions): Float64Array {
  const { variables, random } = options;
  const filterAxis = options.filterAxis ?? 'last';
  const oneDimensional = options.oneDimensional ?? 'zero';
  const layout = parameterLayout(variables);
  const theta = flattenTensors(variables, layout);
  const direction = new Float64Array(layout.size);
  layout.names.forEach((_name, index) => {
    const shape = layout.shapes[index] as number[];
    const offset = layout.offsets[index] as number;
    const size = shape.reduce((product, dimension) => product * dimension, 1);
    for (let k = 0; k < size; k++) direction[offset + k] = random.normal();
    if (shape.length <= 1) {
      if (oneDimensional === 'zero') direction.fill(0, offset, offset + size);
      else rescaleGroups(direction, theta, offset, size, 1, 1);
      return;
    }
    const filters = (filterAxis === 'last' ? shape.at(-1) : shape[0]) as number;
    // Entry k belongs to filter (k % filters) with the last axis, to floor(k / (size / filters)) with the first.
    if (filterAxis === 'last') rescaleGroups(direction, theta, offset, size, filters, 1);
    else rescaleGroups(direction, theta, offset, size, filters, size / filters);
  });
  return direction;
}

/**
 * Rescales groups of entries of `direction` to the norms of the same groups of `theta`. With
 * `blockLength === 1` entry k belongs to group `k % groups` (interleaved); otherwise to
 * `floor(k / blockLength)` (contiguous).
 */
function rescaleGroups(
  direction: Float64Array,
  theta: Float64Array,
  offset: number,
  size: number,
  groups: number,
  blockLength: number,
): void {
  const groupOf = (k: number) => (blockLength === 1 ? k % groups : Math.floor(k / blockLength));
  const directionNorms = new Float64Array(groups);
  const thetaNorms = new Float64Array(groups);
  for (let k = 0; k < size; k++) {
    const group = groupOf(k);
    directionNorms[group] = (directionNorms[group] as number) + (direction[offset + k] as number) ** 2;
    thetaNorms[group] = (thetaNorms[group] as number) + (theta[offset + k] as number) ** 2;
  }
  for (let k = 0; k < size; k++) {
    const group = groupOf(k);
    const directionNorm = Math.sqrt(directionNorms[group] as number);
    const scale = directionNorm === 0 ? 0 : Math.sqrt(thetaNorms[group] as number) / directionNorm;
    direction[offset + k] = (direction[offset + k] as number) * scale;
  }
}

/** Metrics at one point: any named numbers, e.g. `{ loss, accuracy }` on a split. */
export type LandscapeEvaluation = () => Record<string, number>;

/** Options of {@link lossSlice}. */
export interface LossSliceOptions {
  /** The variables; they are moved and restored exactly. Required. */
  variables: ReadonlyMap<string, tf.Variable>;
  /** Metrics at the current parameters (runs inside `tf.tidy`). Required. */
  evaluate: LandscapeEvaluation;
  /** The direction, flat in parameter-layout order. Required. */
  direction: Float64Array;
  /** Step sizes `t` of the points `origin + t direction`. Required. */
  coordinates: readonly number[];
  /** The centre of the slice. Default: the current parameters. */
  origin?: Float64Array;
}

/** A 1-D landscape: `metrics[name][i]` at `coordinates[i]`. */
export interface LossSlice {
  coordinates: number[];
  metrics: Record<string, number[]>;
}

/**
 * Metrics along a line through parameter space, `origin + t direction` for each `t`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lossSlice } from '@emerge/optim';
 *
 * // loss = (w - 1)^2 along the direction +1 from w = 1.
 * const w = tf.variable(tf.tensor1d([1]));
 * const slice = lossSlice({
 *   variables: new Map([['w', w]]),
 *   evaluate: () => ({ loss: tf.square(tf.sub(w, 1)).dataSync()[0]! }),
 *   direction: new Float64Array([1]),
 *   coordinates: [-1, 0, 1, 2],
 * });
 * slice.metrics.loss; // => [1, 0, 1, 4]
 * console.assert(slice.metrics.loss!.join() === '1,0,1,4');
 * console.assert(w.dataSync()[0] === 1); // the variables are restored afterwards
 * ```
 */
export function lossSlice(options: LossSliceOptions): LossSlice {
  const { variables, evaluate, direction, coordinates } = options;
  const grid = evaluateGrid(
    variables,
    evaluate,
    options.origin,
    [direction],
    coordinates.map((t) => [t]),
  );
  return { coordinates: [...coordinates], metrics: grid };
}

/** Options of {@link lossSurface}. */
export interface LossSurfaceOptions {
  /** The variables; they are moved and restored exactly. Required. */
  variables: ReadonlyMap<string, tf.Variable>;
  /** Metrics at the current parameters (runs inside `tf.tidy`). Required. */
  evaluate: LandscapeEvaluation;
  /** Two directions, flat in parameter-layout order. Required. */
  directions: readonly [Float64Array, Float64Array];
  /** Coordinates along the first direction (columns). Required. */
  xCoordinates: readonly number[];
  /** Coordinates along the second direction (rows). Required. */
  yCoordinates: readonly number[];
  /** The centre of the surface. Default: the current parameters. */
  origin?: Float64Array;
}

/** A 2-D landscape: `metrics[name][row][column]` at `(xCoordinates[column], yCoordinates[row])`. */
export interface LossSurface {
  xCoordinates: number[];
  yCoordinates: number[];
  metrics: Record<string, number[][]>;
}

/**
 * Metrics on a grid `origin + x d1 + y d2` (Li et al. 2018's contour plots).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lossSurface } from '@emerge/optim';
 *
 * // loss = x^2 + 4 y^2 around the origin, on a 5 x 5 grid.
 * const w = tf.variable(tf.tensor1d([0, 0]));
 * const linspace = (from: number, to: number, count: number) =>
 *   Array.from({ length: count }, (_, index) => from + ((to - from) * index) / (count - 1));
 * const surface = lossSurface({
 *   variables: new Map([['w', w]]),
 *   evaluate: () => ({ loss: tf.sum(tf.mul(tf.tensor1d([1, 4]), tf.square(w))).dataSync()[0]! }),
 *   directions: [new Float64Array([1, 0]), new Float64Array([0, 1])],
 *   xCoordinates: linspace(-1, 1, 5),
 *   yCoordinates: linspace(-1, 1, 5),
 * });
 * surface.metrics.loss![2]![2]; // => 0 at the centre
 * console.assert(surface.metrics.loss![2]![2] === 0);
 * ```
 */
export function lossSurface(options: LossSurfaceOptions): LossSurface {
  const { variables, evaluate, directions, xCoordinates, yCoordinates } = options;
  const points = yCoordinates.flatMap((y) => xCoordinates.map((x) => [x, y]));
  const flat = evaluateGrid(variables, evaluate, options.origin, directions, points);
  const metrics: Record<string, number[][]> = {};
  for (const [name, values] of Object.entries(flat)) {
    metrics[name] = yCoordinates.map((_, row) =>
      values.slice(row * xCoordinates.length, (row + 1) * xCoordinates.length),
    );
  }
  return { xCoordinates: [...xCoordinates], yCoordinates: [...yCoordinates], metrics };
}

/** Options of {@link interpolateParameters}. */
export interface InterpolationOptions {
  /** The variables; they are moved and restored exactly. Required. */
  variables: ReadonlyMap<string, tf.Variable>;
  /** Metrics at the current parameters (runs inside `tf.tidy`). Required. */
  evaluate: LandscapeEvaluation;
  /** Parameters at alpha = 0 (e.g. the small-batch minimum). Required. */
  from: Float64Array;
  /** Parameters at alpha = 1 (e.g. the large-batch minimum). Required. */
  to: Float64Array;
  /** The alphas of `alpha * to + (1 - alpha) * from`; values outside [0, 1] extrapolate. Required. */
  alphas: readonly number[];
}

/**
 * Metrics along the straight line between two parameter vectors (Goodfellow et al. 2015; Keskar et
 * al. 2017 Fig. 3): `theta(alpha) = alpha * to + (1 - alpha) * from`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { interpolateParameters } from '@emerge/optim';
 *
 * const w = tf.variable(tf.tensor1d([0]));
 * const line = interpolateParameters({
 *   variables: new Map([['w', w]]),
 *   evaluate: () => ({ value: w.dataSync()[0]! }),
 *   from: new Float64Array([1]),
 *   to: new Float64Array([3]),
 *   alphas: [-1, 0, 0.5, 1, 2],
 * });
 * line.metrics.value; // => [-1, 1, 2, 3, 5]: alpha * to + (1 - alpha) * from
 * console.assert(line.metrics.value!.join() === '-1,1,2,3,5');
 * ```
 */
export function interpolateParameters(options: InterpolationOptions): LossSlice {
  const { from, to } = options;
  requireLength('to', to, parameterLayout(options.variables));
  const direction = to.map((value, index) => value - (from[index] as number));
  return lossSlice({ ...options, origin: from, direction, coordinates: options.alphas });
}

/** Evaluates at `origin + sum_k point[k] directions[k]` for every point; restores the variables. */
function evaluateGrid(
  variables: ReadonlyMap<string, tf.Variable>,
  evaluate: LandscapeEvaluation,
  origin: Float64Array | undefined,
  directions: readonly Float64Array[],
  points: readonly number[][],
): Record<string, number[]> {
  const layout: ParameterLayout = parameterLayout(variables);
  const current = flattenTensors(variables, layout);
  const centre = origin ?? current;
  requireLength('origin', centre, layout);
  directions.forEach((direction, index) => {
    requireLength(directions.length === 1 ? 'direction' : `directions[${index}]`, direction, layout);
  });
  const metrics: Record<string, number[]> = {};
  const position = new Float64Array(layout.size);
  try {
    points.forEach((point, pointIndex) => {
      position.set(centre);
      directions.forEach((direction, k) => {
        const coefficient = point[k] as number;
        if (!Number.isFinite(coefficient))
          throw new OptionError('coordinates', 'finite numbers', coefficient);
        for (let index = 0; index < position.length; index++) {
          position[index] = (position[index] as number) + coefficient * (direction[index] as number);
        }
      });
      assignFlat(variables, layout, position);
      const result = tf.tidy(() => evaluate());
      for (const [name, value] of Object.entries(result)) {
        const values = metrics[name] ?? new Array<number>(pointIndex).fill(Number.NaN);
        metrics[name] = values;
        values.push(value);
      }
      for (const values of Object.values(metrics)) if (values.length <= pointIndex) values.push(Number.NaN);
    });
  } finally {
    assignFlat(variables, layout, current);
  }
  return metrics;
}
