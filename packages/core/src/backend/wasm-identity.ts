import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel } from './replace-wasm-kernel.js';
import { wasmInternals } from './wasm-internals.js';

/**
 * Wraps the Identity kernel so the output shares the input's data (one more owner) instead of copying
 * it, as tfjs' cpu backend and wasm's own Reshape do: tensor data is never written after it is made.
 */
function shareFirst(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    const internals = wasmInternals(args.backend);
    if (internals === undefined || x.dtype === 'string') return original(args);
    internals.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}

/**
 * Replaces the wasm backend's `Identity` kernel by one that shares the input's data instead of copying
 * it. tfjs' engine clones (runs Identity on) every tensor it saves for a gradient, so a Transformer
 * training step on wasm copied ~130 activations, 14 ms CPU of a ~290 ms step. Results are the same data;
 * string tensors keep the original kernel. Only the `wasm` backend changes; calling it again does
 * nothing.
 *
 * @returns `true` when the kernel is patched (now or earlier), `false` when
 *   `@tensorflow/tfjs-backend-wasm` has not been imported.
 * @example
 * ```ts
 * import { patchWasmIdentity } from '@emerge/core';
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 *
 * await tf.setBackend('wasm');
 * console.assert(patchWasmIdentity()); // => true
 * const x = tf.tensor1d([1, 2, 3]);
 * const copy = tf.clone(x);
 * x.dispose();
 * console.assert(copy.dataSync().join() === '1,2,3'); // => the data outlives x
 * ```
 */
export function patchWasmIdentity(): boolean {
  if (tf.getKernel(tf.Identity, 'wasm') === undefined) return false;
  replaceWasmKernel(tf.Identity, shareFirst);
  return true;
}
