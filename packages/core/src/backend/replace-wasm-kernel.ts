import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';

/** Kernel functions installed by {@link replaceWasmKernel}, so a second call does not wrap them again. */
const installed = new WeakSet<KernelFunc>();

/**
 * Registers `wrap(original)` as the wasm backend's kernel `kernelName`, once: when the registered kernel
 * is already one this function installed, or there is none, nothing changes. Keeps the original
 * config's setup and dispose functions.
 */
export function replaceWasmKernel(kernelName: string, wrap: (original: KernelFunc) => KernelFunc): void {
  const original: KernelConfig | undefined = tf.getKernel(kernelName, 'wasm');
  if (original === undefined || installed.has(original.kernelFunc)) return;
  const kernelFunc = wrap(original.kernelFunc);
  installed.add(kernelFunc);
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}
