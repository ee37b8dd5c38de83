/**
 * The product x·W of a k-hot matrix x (each row has ones at k positions, zeros elsewhere) with a weight
 * matrix, without the zeros: each output row is the sum of k rows of W, and the weight's gradient adds
 * each row of dy into the k rows it came from. A one-hot pair input (grokking's (a, b) as 2·97 columns)
 * costs 2·97·256 multiply-adds per example as a dense product and 2·256 additions this way.
 */
import {
  computeFloat32,
  type Float32KernelGradient,
  hasFloat32Kernel,
  OptionError,
  registerFloat32Kernel,
  runFloat32Kernel,
} from '@emerge/core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { requireTensor } from './validation.js';

const PRODUCT_KERNEL = 'EmergeHotRowsProduct';
const GRADIENT_KERNEL = 'EmergeHotRowsProductGrad';

/** Attributes of both kernels: the hot positions, row after row, and how many per row. */
interface HotRows extends NamedAttrMap {
  hot: Int32Array;
  hotPerRow: number;
}

/** out[r] = Σ W[hot[r, i]] over i in the given order (in increasing position, a dense product's order). */
const product: KernelFunc = ({ inputs, backend, attrs }) => {
  const weight = inputs.weight as TensorInfo;
  const { hot, hotPerRow } = attrs as HotRows;
  const columns = weight.shape[1] as number;
  const rows = hot.length / hotPerRow;
  return computeFloat32(backend, [weight], [[rows, columns]], ([values], [out]) => {
    const [w, result] = [values as Float32Array, out as Float32Array];
    for (let row = 0; row < rows; row++) {
      const start = row * columns;
      const first = (hot[row * hotPerRow] as number) * columns;
      result.set(w.subarray(first, first + columns), start);
      for (let index = 1; index < hotPerRow; index++) {
        const offset = (hot[row * hotPerRow + index] as number) * columns - start;
        for (let at = start; at < start + columns; at++)
          result[at] = (result[at] as number) + (w[at + offset] as number);
      }
    }
  });
};

/** dW[p] = Σ dy[r] over the rows r with a one at position p, in row order (a dense product's order). */
const gradient: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = inputs.dy as TensorInfo;
  const { hot, hotPerRow, inputSize } = attrs as HotRows & { inputSize: number };
  const columns = dy.shape[1] as number;
  return computeFloat32(backend, [dy], [[inputSize, columns]], ([values], [out]) => {
    const [upstream, result] = [values as Float32Array, out as Float32Array];
    result.fill(0);
    for (let index = 0; index < hot.length; index++) {
      const to = (hot[index] as number) * columns;
      const offset = Math.floor(index / hotPerRow) * columns - to;
      for (let at = to; at < to + columns; at++)
        result[at] = (result[at] as number) + (upstream[at + offset] as number);
    }
  });
};

/** The product's gradient: only the weight has one (the positions are integers). */
const productGradient: Float32KernelGradient = {
  gradFunc: (dy, _saved, attrs) => {
    const { hot, hotPerRow, inputSize } = attrs as HotRows & { inputSize: number };
    return {
      weight: () =>
        runFloat32Kernel(
          GRADIENT_KERNEL,
          { dy: dy as tf.Tensor },
          { hot, hotPerRow, inputSize },
        )[0] as tf.Tensor,
    };
  },
};

/**
 * x·weight for the k-hot x whose ones are at `hot` (int32 [rows, k], positions in [0, inputs)), as a
 * [rows, outputs] tensor; differentiable in `weight`. Give each row's positions in increasing order to
 * get the dense product's float32 result exactly (the same additions in the same order). On backends
 * other than cpu and wasm it multiplies by the dense one-hot matrix.
 * @throws {OptionError} when `hot` is not int32 [rows, k] with every position in [0, inputs).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { hotRowsProduct } from '@emerge/transformer';
 *
 * await tf.setBackend('cpu');
 * const weight = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
 * // The 2-hot row [1, 0, 1] times the weight: rows 0 and 2 added.
 * const product = hotRowsProduct(tf.tensor2d([[0, 2]], [1, 2], 'int32'), weight);
 * product.arraySync(); // => [[6, 8]]
 * console.assert(product.arraySync()[0]!.join() === '6,8');
 * ```
 */
export function hotRowsProduct(hot: tf.Tensor2D, weight: tf.Tensor2D): tf.Tensor2D {
  registerFloat32Kernel(PRODUCT_KERNEL, product, productGradient);
  registerFloat32Kernel(GRADIENT_KERNEL, gradient);
  const [inputSize] = weight.shape;
  requireTensor('hot', hot, 'int32', [null, null]);
  const positions = hot.dataSync() as Int32Array;
  const outside = positions.find((position) => !(position >= 0 && position < inputSize));
  if (outside !== undefined) throw new OptionError('hot', `positions in [0, ${inputSize - 1}]`, outside);
  if (!hasFloat32Kernel(PRODUCT_KERNEL)) {
    return tf.tidy(() => tf.matMul(tf.sum(tf.oneHot(hot, inputSize), 1).toFloat(), weight));
  }
  const attributes = { hot: positions, hotPerRow: hot.shape[1], inputSize };
  return runFloat32Kernel(PRODUCT_KERNEL, { weight }, attributes)[0] as tf.Tensor2D;
}
