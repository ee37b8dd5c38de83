import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './replace-wasm-kernel.js';
import { type WasmInternals, wasmInternals } from './wasm-internals.js';

/**
 * Side of the square tiles copied at a time (measured on [2048, 512]: 8 -> 1.6 ms, 16 -> 1.4 ms,
 * 32 -> 1.4 ms; the original kernel 7.7 ms).
 */
const TILE = 16;

/**
 * Whether swapping the last two axes of [..., rows, columns] goes faster in tiles than in
 * tfjs-backend-wasm 4.22's Transpose. That kernel writes output rows `rows` elements apart; when
 * `rows` is a multiple of 128 (512 bytes) those writes fall into the same cache sets and it slows down
 * 2-6x (measured: [2048, 512] 7.7 ms, in tiles 1.4 ms; [128, 512] 0.18 -> 0.07 ms; [2000, 256]
 * 0.16 ms, in tiles 0.6 ms). Under 16 columns or 16,384 elements the original stays faster
 * ([2048, 16] 0.08 -> 0.06 ms, but [256, 20] 9 -> 13 µs).
 */
function tilesPayOff(rows: number, columns: number): boolean {
  return rows % 128 === 0 && columns >= 16 && rows * columns >= 16_384;
}

/** Whether `perm` swaps the last two axes and keeps the others. */
function swapsLastAxes(perm: number[]): boolean {
  const rank = perm.length;
  return rank >= 2 && perm.every((axis, index) => axis === (index < rank - 2 ? index : 2 * rank - 3 - index));
}

/** x [..., rows, columns] to [..., columns, rows], copied tile by tile straight in the heap. */
function transposeInTiles(internals: WasmInternals, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2] as number;
  const columns = x.shape[rank - 1] as number;
  // Allocate first: a heap that grows replaces its buffer, which would detach views taken earlier.
  const out = internals.makeOutput([...x.shape.slice(0, -2), columns, rows], x.dtype);
  const source = internals.typedArrayFromHeap(x);
  const target = internals.typedArrayFromHeap(out);
  const matrix = rows * columns;
  // Within a tile, each output row is written in order (a run of TILE consecutive elements).
  for (let start = 0; start < source.length; start += matrix) {
    for (let column0 = 0; column0 < columns; column0 += TILE) {
      const column1 = Math.min(column0 + TILE, columns);
      for (let row0 = 0; row0 < rows; row0 += TILE) {
        const row1 = Math.min(row0 + TILE, rows);
        for (let column = column0; column < column1; column++) {
          const to = start + column * rows;
          for (let row = row0; row < row1; row++) {
            target[to + row] = source[start + row * columns + column] as number;
          }
        }
      }
    }
  }
  return out;
}

function tilesFirst(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const { perm } = args.attrs as unknown as { perm: number[] };
    const internals = wasmInternals(args.backend);
    const rank = x.shape.length;
    if (
      internals === undefined ||
      !['float32', 'int32', 'bool'].includes(x.dtype) ||
      !swapsLastAxes(perm) ||
      !tilesPayOff(x.shape[rank - 2] as number, x.shape[rank - 1] as number)
    ) {
      return original(args);
    }
    return transposeInTiles(internals, x);
  };
}

/**
 * Replaces the wasm backend's `Transpose` kernel by one that swaps the last two axes tile by tile when
 * the original is slow, which is when the number of rows is a multiple of 128 ([2048, 512]: 7.7 ->
 * 1.4 ms). Every matMul gradient on wasm transposes an operand (see {@link patchWasmMatMul}), often of
 * [batch·time, width], so this speeds up training of models with power-of-two batches. Other
 * permutations and shapes keep the original kernel; results are the same elements, so they are
 * exactly equal. Only the `wasm` backend changes; calling it again does nothing.
 *
 * @returns `true` when the kernel is patched (now or earlier), `false` when
 *   `@tensorflow/tfjs-backend-wasm` has not been imported.
 * @example
 * ```ts
 * import { patchWasmTranspose } from '@emerge/core';
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 *
 * await tf.setBackend('wasm');
 * console.assert(patchWasmTranspose()); // => true
 * const x = tf.reshape(tf.range(0, 128 * 16), [128, 16]);
 * console.assert(tf.transpose(x).arraySync()[1]![0] === 1); // => element [0, 1] of x
 * ```
 */
export function patchWasmTranspose(): boolean {
  if (tf.getKernel(tf.Transpose, 'wasm') === undefined) return false;
  replaceWasmKernel(tf.Transpose, tilesFirst);
  return true;
}
