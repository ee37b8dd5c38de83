import { batchedProductModuleBase64 } from './batched-product-module.js';
import { wasmModuleOnHeap } from './wasm-module-on-heap.js';

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

/**
 * The SIMD batched product (batched-product.wat) instantiated on `memory`, or `undefined` where it
 * cannot run (see {@link wasmModuleOnHeap}): an engine without WebAssembly SIMD, or tfjs' threaded build.
 */
export function batchedProductOn(memory: WebAssembly.Memory): BatchedProduct | undefined {
  return wasmModuleOnHeap(batchedProductModuleBase64, memory)?.batchedProduct as BatchedProduct | undefined;
}
