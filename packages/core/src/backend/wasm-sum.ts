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

/** Columns summed together, each in a register: fewer passes over the rows than one at a time. */
const BLOCK = 4;

/**
 * Writes the sum of each column of `source` (rows of `columns` values) into `totals`, every partial sum
 * rounded to float32 (`Math.fround`), as the original's float32 accumulator does, adding the rows in
 * order. Four columns at a time in local variables: 1.5x faster than a running Float32Array of totals
 * (measured on [1000, 166]: 364 → 234 µs), with the same additions.
 */
function columnSums(source: Float32Array, columns: number, totals: Float32Array): void {
  const size = source.length;
  let column = 0;
  for (; column + BLOCK <= columns; column += BLOCK) {
    let first = 0;
    let second = 0;
    let third = 0;
    let fourth = 0;
    for (let at = column; at < size; at += columns) {
      first = Math.fround(first + (source[at] as number));
      second = Math.fround(second + (source[at + 1] as number));
      third = Math.fround(third + (source[at + 2] as number));
      fourth = Math.fround(fourth + (source[at + 3] as number));
    }
    totals[column] = first;
    totals[column + 1] = second;
    totals[column + 2] = third;
    totals[column + 3] = fourth;
  }
  for (; column < columns; column++) {
    let total = 0;
    for (let at = column; at < size; at += columns) total = Math.fround(total + (source[at] as number));
    totals[column] = total;
  }
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
    const out = internals.makeOutput(kept, 'float32');
    // The output first: a heap that grows replaces its buffer and would detach a view taken earlier.
    const totals = internals.typedArrayFromHeap(out) as Float32Array;
    columnSums(internals.typedArrayFromHeap(x) as Float32Array, columns, totals);
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
