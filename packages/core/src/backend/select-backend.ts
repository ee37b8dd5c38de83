import * as tf from '@tensorflow/tfjs';
import { OptionError } from '../errors.js';
import { patchWasmKernels } from './wasm-kernels.js';

/** A tfjs backend family: `node` is tfjs-node's native `tensorflow` backend (or tfjs-node-gpu's). */
export type BackendChoice = 'node' | 'wasm' | 'cpu';

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Backend to try first; the others follow in the default order. Default: none (node, wasm, cpu). */
  preferred?: BackendChoice;
  /**
   * Where the wasm backend finds its `.wasm` files, passed to `setWasmPaths` (a URL prefix ending in
   * `/`). Not needed in Node, where the package finds its own files; useful in a browser to serve them
   * from a CDN. It holds for the whole process, and a wasm backend that failed to initialize is not
   * retried in the same process. Default: none.
   */
  wasmPaths?: string;
}

const DEFAULT_ORDER: readonly BackendChoice[] = ['node', 'wasm', 'cpu'];

/** tfjs-node packages, GPU first; held in a variable so bundlers leave the optional import alone. */
const NATIVE_PACKAGES: readonly string[] = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

async function tryNative(): Promise<boolean> {
  for (const name of NATIVE_PACKAGES) {
    try {
      await import(/* @vite-ignore */ name);
    } catch {
      continue;
    }
    if (await tf.setBackend('tensorflow')) return true;
  }
  return false;
}

async function tryWasm(wasmPaths: string | undefined): Promise<boolean> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch {
    return false;
  }
  if (wasmPaths !== undefined) wasm.setWasmPaths(wasmPaths);
  if (!(await tf.setBackend('wasm'))) return false;
  patchWasmKernels();
  return true;
}

/**
 * Picks the fastest tfjs backend installed and makes it current: tfjs-node when the user installed
 * `@tensorflow/tfjs-node` (or `-gpu`; optional, never required), else `@tensorflow/tfjs-backend-wasm`,
 * else tfjs' pure JavaScript `cpu` backend. Optional packages are imported lazily, so a missing one
 * costs nothing. In Node the wasm backend runs on one thread: use sweep workers for more cores.
 * Choosing wasm also applies {@link patchWasmKernels}, which moves wasm's transposed and batched
 * matMuls (every matMul gradient, attention) onto XNNPACK and speeds up bias gradients and slicing.
 *
 * @returns the backend now in use.
 * @throws {OptionError} for an unknown `preferred`.
 * @example
 * ```ts
 * import { selectBackend } from '@emerge/core';
 *
 * const forced = await selectBackend({ preferred: 'cpu' }); // => 'cpu'
 * console.assert(forced === 'cpu');
 * // Without `preferred`: 'node' when @tensorflow/tfjs-node is installed, else 'wasm', else 'cpu'.
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const { preferred, wasmPaths } = options;
  if (preferred !== undefined && !DEFAULT_ORDER.includes(preferred)) {
    throw new OptionError('preferred', `one of ${DEFAULT_ORDER.join(', ')}`, preferred);
  }
  const order = preferred
    ? [preferred, ...DEFAULT_ORDER.filter((choice) => choice !== preferred)]
    : DEFAULT_ORDER;
  for (const choice of order) {
    if (choice === 'node' && (await tryNative())) return 'node';
    if (choice === 'wasm' && (await tryWasm(wasmPaths))) return 'wasm';
    if (choice === 'cpu' && (await tf.setBackend('cpu'))) return 'cpu';
  }
  throw new Error('no tfjs backend could be initialized, not even cpu');
}
