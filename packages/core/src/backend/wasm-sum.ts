import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './replace-wasm-kernel.js';
import { wasmInternals } from './wasm-internals.js';

/**
 * Fewest elements for which the column sum below beats the original kernel (measured crossover with
 * packages/core/bench/wasm-crossovers.mjs: both take a few microseconds below it).
 */
const MIN_ELEMENTS = 4096;

/**
 * Number of leading axes reduced when `axes` are exactly 0, 1, ..., k-1 in this order for some k below
 * the rank, else 0. The order matters: the original sums the reduced axes in the order given, so
 * [1, 0] adds in another order than [0, 1] and stays with the original.
 */
function leadingAxisCount(axes: number[], rank: number): number {
  const leading = axes.every((axis, index) => axis === index);
  return leading && axes.length < rank ? axes.length : 0;
}

/**
 * Wraps the Sum kernel: a float32 sum over leading axes (a bias gradient: [batch·time, n] over axis 0)
 * becomes a column sum read in place. Each column is accumulated in float32, row after row — the same
 * additions in the same order as the original's row sums of the transposed input, so the result is
 * the same to the bit (tested on random inputs). tfjs-backend-wasm 4.22 transposes the
 * input so the reduced axes come last, and its Transpose is slow when the rows number a multiple of
 * 128 (measured on [2048, 384]: Sum over axis 0 6.7 ms, of which the transpose 6.0 ms; the column sum
 * 0.9 ms).
 */
function columnSumFirst(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const internals = wasmInternals(args.backend);
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const reduced = leadingAxisCount(tf.util.parseAxisParam(axis, x.shape), rank);
    const size = tf.util.sizeFromShape(x.shape);
    if (internals === undefined || x.dtype !== 'float32' || reduced === 0 || size < MIN_ELEMENTS) {
      return original(args);
    }
    const kept = x.shape.slice(reduced);
    const columns = tf.util.sizeFromShape(kept);
    const rows = size / columns;
    const out = internals.makeOutput(kept, 'float32');
    const source = internals.typedArrayFromHeap(x);
    // A Float32Array rounds every partial sum to float32, as the original's float32 accumulator does.
    const totals = new Float32Array(columns);
    for (let row = 0; row < rows; row++) {
      const start = row * columns;
      for (let column = 0; column < columns; column++) {
        totals[column] = (totals[column] as number) + (source[start + column] as number);
      }
    }
    internals.typedArrayFromHeap(out).set(totals);
    if (keepDims) out.shape = [...new Array<number>(reduced).fill(1), ...kept];
    return out;
  };
}

/**
 * Replaces the wasm backend's `Sum` kernel by one that sums float32 tensors over leading axes (the
 * gradient of every broadcast bias add) as a column sum instead of a transpose and a row sum, about 7x
 * faster on the shapes of a Transformer's biases. Other sums, and tensors under 4,096 elements, keep
 * the original kernel. Columns are accumulated in float32 in the original's order, so results equal
 * the original's exactly. Only the `wasm` backend changes; calling it again does nothing.
 *
 * @returns `true` when the kernel is patched (now or earlier), `false` when
 *   `@tensorflow/tfjs-backend-wasm` has not been imported.
 * @example
 * ```ts
 * import { patchWasmSum } from '@emerge/core';
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 *
 * await tf.setBackend('wasm');
 * console.assert(patchWasmSum()); // => true
 * const columnSums = tf.sum(tf.ones([4096, 2]), 0).dataSync(); // => [4096, 4096]
 * console.assert(columnSums[0] === 4096);
 * ```
 */
export function patchWasmSum(): boolean {
  if (tf.getKernel(tf.Sum, 'wasm') === undefined) return false;
  replaceWasmKernel(tf.Sum, columnSumFirst);
  return true;
}
