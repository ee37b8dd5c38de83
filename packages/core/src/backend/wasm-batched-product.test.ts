import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modulePathOf, moduleSource } from '../../../../scripts/build-wasm.mjs';
import { createRandom } from '../random.js';
import { batchedProductOn } from './wasm-batched-product.js';

/** a·b for one matrix pair, each sum in k order with float32 rounding after every step. */
function sequentialProduct(a: Float32Array, b: Float32Array, rows: number, inner: number, columns: number) {
  const out = new Float32Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) {
        sum = Math.fround(sum + Math.fround((a[i * inner + k] as number) * (b[k * columns + j] as number)));
      }
      out[i * columns + j] = sum;
    }
  }
  return out;
}

describe('batchedProductOn', () => {
  // Columns 13 = 8 + 4 + 1 exercise all three column loops; 3 and 4 the short ones alone.
  const shapes = [
    { batch: 5, rows: 7, inner: 14, columns: 13 },
    { batch: 3, rows: 4, inner: 48, columns: 3 },
    { batch: 2, rows: 1, inner: 1, columns: 4 },
    { batch: 4, rows: 14, inner: 12, columns: 16 },
  ];

  for (const { batch, rows, inner, columns } of shapes) {
    for (const sharedA of [false, true]) {
      it(`gives the bits of in-order float32 sums, [${batch},${rows},${inner}]·[${batch},${inner},${columns}]${sharedA ? ', one a for every b' : ''}`, () => {
        const memory = new WebAssembly.Memory({ initial: 2 });
        const product = batchedProductOn(memory);
        expect(product).toBeTypeOf('function');
        const aSize = rows * inner;
        const bSize = inner * columns;
        const random = createRandom(rows * 1000 + columns);
        const heap = new Float32Array(memory.buffer);
        const aCount = sharedA ? 1 : batch;
        // a, then b, then out, at 16-byte-aligned element offsets 0, 4096 and 8192.
        for (let index = 0; index < aCount * aSize; index++) heap[index] = random.normal();
        for (let index = 0; index < batch * bSize; index++) heap[4096 + index] = random.normal();
        product?.(0, 4096 * 4, 8192 * 4, batch, rows, inner, columns, sharedA ? 0 : aSize, bSize);
        for (let m = 0; m < batch; m++) {
          const aStart = sharedA ? 0 : m * aSize;
          const expected = sequentialProduct(
            heap.slice(aStart, aStart + aSize),
            heap.slice(4096 + m * bSize, 4096 + (m + 1) * bSize),
            rows,
            inner,
            columns,
          );
          const start = 8192 + m * rows * columns;
          expect(heap.slice(start, start + rows * columns)).toEqual(expected);
        }
      });
    }
  }

  it('is instantiated once per memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(batchedProductOn(memory)).toBe(batchedProductOn(memory));
  });

  it('declines a shared memory (tfjs threaded build), so callers keep their kernels', () => {
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    expect(batchedProductOn(shared)).toBeUndefined();
  });

  it('is the compiled batched-product.wat (run scripts/build-wasm.mjs after editing the .wat)', async () => {
    const watPath = fileURLToPath(new URL('./batched-product.wat', import.meta.url));
    expect(readFileSync(modulePathOf(watPath), 'utf8')).toBe(await moduleSource(watPath));
  });
});
