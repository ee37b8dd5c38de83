import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './replace-wasm-kernel.js';
import { type WasmInternals, wasmInternals } from './wasm-internals.js';

/** Below this many elements per contiguous run, an element loop beats `subarray` + `set`. */
const SHORT_RUN = 16;

/**
 * Copies the window `begin`, `size` of `x` into a new tensor, reading `x` where it lies in the heap.
 * tfjs-backend-wasm 4.22's Slice first copies the whole input out of the heap (`readSync`), so
 * Unpack of [time, ...] into `time` slices copied the input `time` times (measured: the LSTM step spent
 * about half its time there). Runs of consecutive elements are copied at once.
 */
function sliceInPlace(internals: WasmInternals, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  // Allocate first: a heap that grows replaces its buffer, which would detach views taken earlier.
  const out = internals.makeOutput(size, x.dtype);
  const source = internals.typedArrayFromHeap(x);
  const target = internals.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  // The run: the innermost axes taken whole, plus the next axis out, are consecutive in memory.
  let runAxis = rank - 1;
  while (runAxis > 0 && size[runAxis] === x.shape[runAxis]) runAxis--;
  const run = size.slice(runAxis).reduce((product, side) => product * side, 1);
  const runStride = runAxis === rank - 1 ? 1 : (strides[runAxis] as number);
  const runStart = (begin[runAxis] as number) * runStride;
  const index = new Array<number>(runAxis).fill(0); // position over the outer axes 0 .. runAxis - 1
  const runs = tf.util.sizeFromShape(size) / Math.max(run, 1);
  let written = 0;
  for (let count = 0; count < runs; count++) {
    let offset = runStart;
    for (let axis = 0; axis < runAxis; axis++) {
      offset += ((begin[axis] as number) + (index[axis] as number)) * (strides[axis] as number);
    }
    if (run < SHORT_RUN) {
      for (let element = 0; element < run; element++)
        target[written + element] = source[offset + element] as number;
    } else {
      target.set(source.subarray(offset, offset + run), written);
    }
    written += run;
    for (let axis = runAxis - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (size[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return out;
}

/** A kernel function that runs `fast` when the backend and dtype allow it, else `original`. */
function inPlaceFirst(
  original: KernelFunc,
  fast: (internals: WasmInternals, ...args: Parameters<KernelFunc>) => TensorInfo | TensorInfo[],
): KernelFunc {
  return (args) => {
    const x = args.inputs.x ?? args.inputs.value;
    const internals = wasmInternals(args.backend);
    if (internals === undefined || x === undefined || x.dtype === 'string' || x.shape.length === 0) {
      return original(args);
    }
    return fast(internals, args);
  };
}

const slice = (original: KernelFunc) =>
  inPlaceFirst(original, (internals, { inputs, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [
      number[],
      number[],
    ];
    return sliceInPlace(internals, x, start, extent);
  });

const splitV = (original: KernelFunc) =>
  inPlaceFirst(original, (internals, { inputs, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { numOrSizeSplits, axis } = attrs as unknown as {
      numOrSizeSplits: number | number[];
      axis: number;
    };
    const splitAxis = tf.util.parseAxisParam(axis, x.shape)[0] as number;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, splitAxis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((part) => {
      const extent = [...x.shape];
      extent[splitAxis] = part;
      const piece = sliceInPlace(internals, x, [...begin], extent);
      begin[splitAxis] = (begin[splitAxis] as number) + part;
      return piece;
    });
  });

const unpack = (original: KernelFunc) =>
  inPlaceFirst(original, (internals, { inputs, attrs }) => {
    const x = inputs.value as TensorInfo;
    const rank = x.shape.length;
    const axis = ((attrs as unknown as { axis: number }).axis + rank) % rank;
    const outShape = x.shape.filter((_, index) => index !== axis);
    const extent = [...x.shape];
    extent[axis] = 1;
    return Array.from({ length: x.shape[axis] as number }, (_, position) => {
      const begin = new Array<number>(rank).fill(0);
      begin[axis] = position;
      const piece = sliceInPlace(internals, x, begin, extent);
      return { ...piece, shape: outShape };
    });
  });

/**
 * Replaces the wasm backend's `Slice`, `SplitV` and `Unpack` kernels (tf.slice, tf.split, tf.unstack
 * and their gradients) by ones that read the input in place instead of copying all of it first, which
 * made unstacking a [time, ...] tensor cost `time` full copies. Results are the same elements, so they
 * equal the original kernels exactly; string tensors keep the original kernels. Only the `wasm` backend
 * changes; calling it again does nothing.
 *
 * @returns `true` when the kernels are patched (now or earlier), `false` when
 *   `@tensorflow/tfjs-backend-wasm` has not been imported.
 * @example
 * ```ts
 * import { patchWasmSlice } from '@emerge/core';
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 *
 * await tf.setBackend('wasm');
 * console.assert(patchWasmSlice()); // => true
 * const rows = tf.unstack(tf.tensor2d([[1, 2], [3, 4]]));
 * console.assert(rows[1]!.dataSync().join() === '3,4'); // => the second row
 * ```
 */
export function patchWasmSlice(): boolean {
  if (tf.getKernel(tf.Slice, 'wasm') === undefined) return false;
  replaceWasmKernel(tf.Slice, slice);
  replaceWasmKernel(tf.SplitV, splitV);
  replaceWasmKernel(tf.Unpack, unpack);
  return true;
}
