/**
 * A fixed order of the trainable variables, so that curvature and landscape code can treat all
 * parameters as one float64 vector (directions, eigenvectors) and write such vectors back.
 */

import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';

/** Where each trainable variable sits in the flat vector. */
export interface ParameterLayout {
  /** Variable names in the order of the map (trainable ones only). */
  names: string[];
  /** Shape of each variable. */
  shapes: number[][];
  /** Start of each variable in the flat vector. */
  offsets: number[];
  /** Total number of scalars. */
  size: number;
}

/**
 * The layout of the trainable variables of `variables`, in map order.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { parameterLayout } from '@emerge/optim';
 *
 * const variables = new Map([
 *   ['weight', tf.variable(tf.zeros([3, 2]))],
 *   ['bias', tf.variable(tf.zeros([2]))],
 * ]);
 * const layout = parameterLayout(variables);
 * layout.size; // => 8
 * console.assert(layout.size === 8);
 * ```
 */
export function parameterLayout(variables: ReadonlyMap<string, tf.Variable>): ParameterLayout {
  const names: string[] = [];
  const shapes: number[][] = [];
  const offsets: number[] = [];
  let size = 0;
  for (const [name, variable] of variables) {
    if (!variable.trainable) continue;
    names.push(name);
    shapes.push([...variable.shape]);
    offsets.push(size);
    size += variable.size;
  }
  return { names, shapes, offsets, size };
}

/**
 * Concatenates tensors keyed like the layout (variables, gradients) into one float64 vector.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { flattenTensors, parameterLayout } from '@emerge/optim';
 *
 * const variables = new Map([
 *   ['weight', tf.variable(tf.tensor2d([[1, 2], [3, 4]]))],
 *   ['bias', tf.variable(tf.tensor1d([5, 6]))],
 * ]);
 * const theta = flattenTensors(variables, parameterLayout(variables)); // => Float64Array [1, 2, 3, 4, 5, 6]
 * console.assert(theta.join() === '1,2,3,4,5,6');
 * ```
 */
export function flattenTensors(
  tensors: ReadonlyMap<string, tf.Tensor>,
  layout: ParameterLayout,
): Float64Array {
  const flat = new Float64Array(layout.size);
  layout.names.forEach((name, index) => {
    const tensor = tensors.get(name);
    if (tensor === undefined) throw new Error(`no tensor named "${name}"`);
    flat.set(tensor.dataSync(), layout.offsets[index] as number);
  });
  return flat;
}

/**
 * Assigns a flat vector to the variables (rounded to their float32 storage).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { assignFlat, parameterLayout, readParameters } from '@emerge/optim';
 *
 * const variables = new Map([['w', tf.variable(tf.tensor1d([1, 2]))]]);
 * const saved = readParameters(variables);
 * variables.get('w')!.assign(tf.tensor1d([9, 9])); // e.g. a training step
 * assignFlat(variables, parameterLayout(variables), saved); // restore the saved parameters
 * variables.get('w')!.arraySync(); // => [1, 2]
 * console.assert(variables.get('w')!.arraySync().join() === '1,2');
 * ```
 */
export function assignFlat(
  variables: ReadonlyMap<string, tf.Variable>,
  layout: ParameterLayout,
  values: Float64Array,
): void {
  requireLength('values', values, layout);
  layout.names.forEach((name, index) => {
    const variable = variables.get(name) as tf.Variable;
    const offset = layout.offsets[index] as number;
    const slice = Float32Array.from(values.subarray(offset, offset + variable.size));
    tf.tidy(() => {
      variable.assign(tf.tensor(slice, variable.shape, variable.dtype));
    });
  });
}

/** Throws an {@link OptionError} unless a flat vector has the layout's size. */
export function requireLength(field: string, values: ArrayLike<number>, layout: ParameterLayout): void {
  if (values.length !== layout.size) {
    throw new OptionError(`${field}.length`, `the parameter count ${layout.size}`, values.length);
  }
}

/**
 * The current trainable parameters as one float64 vector (in {@link parameterLayout} order), e.g. to
 * keep a minimum for interpolation.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { readParameters } from '@emerge/optim';
 *
 * const variables = new Map([['w', tf.variable(tf.tensor1d([0.25, -1]))]]);
 * const smallBatchMinimum = readParameters(variables); // => Float64Array [0.25, -1]
 * console.assert(smallBatchMinimum.join() === '0.25,-1');
 * ```
 */
export function readParameters(variables: ReadonlyMap<string, tf.Variable>): Float64Array {
  return flattenTensors(variables, parameterLayout(variables));
}
