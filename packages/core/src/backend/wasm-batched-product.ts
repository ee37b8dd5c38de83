import { batchedProductModuleBase64 } from './batched-product-module.js';

/**
 * out[m] = a[m]·b[m] for m < batch, on float32 matrices at byte addresses of the wasm backend's
 * memory: a [rows, inner] (aStride elements apart, 0 to repeat one), b [inner, columns] (bStride
 * apart), out [batch, rows, columns] contiguous. See batched-product.wat.
 */
export type BatchedProduct = (
  a: number,
  b: number,
  out: number,
  batch: number,
  rows: number,
  inner: number,
  columns: number,
  aStride: number,
  bStride: number,
) => void;

/** One instance per memory; `null` records that the module cannot run on it. */
const instances = new WeakMap<WebAssembly.Memory, BatchedProduct | null>();

/**
 * The SIMD batched product (batched-product.wat) instantiated on `memory`, or `undefined` where it
 * cannot run: an engine without WebAssembly SIMD, or a shared memory (tfjs' threaded build), which the
 * module's unshared memory import does not accept. The module is 600 bytes, small enough to compile
 * synchronously everywhere.
 */
export function batchedProductOn(memory: WebAssembly.Memory): BatchedProduct | undefined {
  let product = instances.get(memory);
  if (product === undefined) {
    product = null;
    try {
      const bytes = Uint8Array.from(atob(batchedProductModuleBase64), (character) => character.charCodeAt(0));
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
      product = instance.exports.batchedProduct as BatchedProduct;
    } catch {
      // Left null: the callers keep the kernels they had.
    }
    instances.set(memory, product);
  }
  return product ?? undefined;
}
