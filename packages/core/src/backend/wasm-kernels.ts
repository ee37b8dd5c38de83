import { patchWasmEqual } from './wasm-equal.js';
import { patchWasmIdentity } from './wasm-identity.js';
import { patchWasmMatMul } from './wasm-matmul.js';
import { patchWasmSlice } from './wasm-slice.js';
import { patchWasmSum } from './wasm-sum.js';
import { patchWasmTranspose } from './wasm-transpose.js';

/**
 * Applies every wasm kernel patch of this package: {@link patchWasmMatMul} (transposed and batched
 * products on XNNPACK), {@link patchWasmTranspose} (tiled transposes where the original thrashes the
 * cache), {@link patchWasmSum} (sums over leading axes), {@link patchWasmSlice} (slice, split and
 * unstack without a copy of the whole input), {@link patchWasmEqual} (comparisons with row maxima) and
 * {@link patchWasmIdentity} (clones share their data). {@link selectBackend} calls it whenever
 * it picks wasm; call it yourself only if you make wasm current with `tf.setBackend('wasm')` directly.
 * Idempotent; only the `wasm` backend's kernels change.
 *
 * @returns `true` when the kernels are patched (now or earlier), `false` when
 *   `@tensorflow/tfjs-backend-wasm` has not been imported.
 * @example
 * ```ts
 * import { patchWasmKernels } from '@emerge/core';
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 *
 * await tf.setBackend('wasm');
 * console.assert(patchWasmKernels()); // => true
 * ```
 */
export function patchWasmKernels(): boolean {
  const patched = [
    patchWasmMatMul(),
    patchWasmTranspose(),
    patchWasmSum(),
    patchWasmSlice(),
    patchWasmEqual(),
    patchWasmIdentity(),
  ];
  return patched.every(Boolean);
}
