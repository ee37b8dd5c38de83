// A file of its own: it needs the wasm kernels unpatched first, and vitest gives each test file a
// fresh process.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { selectBackend } from './select-backend.js';
import { patchWasmMatMul } from './wasm-matmul.js';

/** One product a·b as the caller sees it: [...batch, rows, inner] times [...batch, inner, columns]. */
interface ProductCase {
  name: string;
  a: number[];
  b: number[];
}

const PRODUCTS: readonly ProductCase[] = [
  { name: 'rank 2', a: [5, 7], b: [7, 4] },
  { name: 'rank 3', a: [3, 5, 7], b: [3, 7, 4] },
  { name: 'rank 3, a broadcast from batch 1', a: [1, 5, 7], b: [3, 7, 4] },
  { name: 'rank 3, b broadcast from batch 1', a: [3, 5, 7], b: [1, 7, 4] },
  { name: 'rank 3 times rank 2', a: [3, 5, 7], b: [7, 4] },
  { name: 'rank 4', a: [2, 3, 5, 7], b: [2, 3, 7, 4] },
  { name: 'rank 4 times rank 2', a: [2, 3, 5, 7], b: [7, 4] },
  { name: 'rank 3 times rank 4 of batch 1', a: [3, 5, 7], b: [1, 1, 7, 4] },
  // With transposeB, few rows of a: computed as (b·aᵀ)ᵀ.
  { name: 'rank 2, few rows', a: [3, 40], b: [40, 30] },
  { name: 'rank 3 of batch 1 times rank 2, few rows', a: [1, 3, 40], b: [40, 30] },
  // Small batched products: the SIMD module (see fitsBatchedProduct in wasm-matmul.ts), where the
  // original ran XNNPACK per matrix (loopPaysOff) or its plain loop.
  { name: 'rank 3, SIMD path', a: [3, 16, 8], b: [3, 8, 16] },
  { name: 'rank 4, SIMD path', a: [2, 3, 16, 8], b: [2, 3, 8, 16] },
  { name: 'rank 3, a broadcast from batch 1, SIMD path', a: [1, 16, 8], b: [3, 8, 16] },
  { name: 'rank 3 times rank 4, same batch, SIMD path', a: [3, 16, 8], b: [1, 3, 8, 16] },
  { name: 'rank 4, attention-sized, SIMD path', a: [2, 4, 14, 12], b: [2, 4, 12, 14] },
  { name: 'rank 3, inner side 48, plain loop in the original, SIMD path', a: [3, 3, 48], b: [3, 48, 5] },
  // Inner side 64 with few rows: the original's plain loop adds in blocks of 48, so it stays there.
  { name: 'rank 3, inner side 64 (original kernel)', a: [3, 3, 64], b: [3, 64, 5] },
  // Above 2^17 multiply-adds per matrix: one XNNPACK product per matrix.
  { name: 'rank 3, per-matrix path', a: [2, 64, 64], b: [2, 64, 64] },
  { name: 'rank 4, batches broadcast both ways (original kernel)', a: [2, 1, 16, 8], b: [1, 3, 8, 16] },
  // XNNPACK rejects an empty inner side, so this must stay on the original's plain loop (zeros). (An
  // unflagged rank-2 product with an empty inner side returns uninitialized memory on wasm, patched or not.)
  { name: 'rank 3 times rank 2, empty inner side', a: [3, 5, 0], b: [0, 4] },
];

const FLAGS: readonly (readonly [boolean, boolean])[] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** The shape to store so that the flag turns it back into `shape`. */
function stored(shape: number[], transposed: boolean): number[] {
  if (!transposed) return shape;
  const rows = shape[shape.length - 2] as number;
  const columns = shape[shape.length - 1] as number;
  return [...shape.slice(0, -2), columns, rows];
}

/** Small integers: every product and partial sum is exact in float32, so any summation order agrees. */
function integers(shape: number[], offset: number): Float32Array {
  const size = shape.reduce((product, side) => product * side, 1);
  return Float32Array.from({ length: size }, (_, index) => ((index * 7 + offset) % 11) - 5);
}

function normals(shape: number[], seed: number): Float32Array {
  const random = createRandom(seed);
  const size = shape.reduce((product, side) => product * side, 1);
  return Float32Array.from({ length: size }, () => random.normal());
}

type Fill = (shape: number[], seed: number) => Float32Array;

/** Shape and values of a product. */
interface Product {
  shape: number[];
  values: Float32Array;
}

function product(fill: Fill, test: ProductCase, transposeA: boolean, transposeB: boolean): Product {
  return tf.tidy(() => {
    const aShape = stored(test.a, transposeA);
    const bShape = stored(test.b, transposeB);
    const a = tf.tensor(fill(aShape, 1), aShape);
    const b = tf.tensor(fill(bShape, 2), bShape);
    const result = tf.matMul(a, b, transposeA, transposeB);
    return { shape: result.shape, values: result.dataSync() as Float32Array };
  });
}

/** A fused product with relu and optionally a bias; tf.fused.matMul takes rank-2 and rank-3 inputs. */
function fusedProduct(
  test: ProductCase,
  transposeA: boolean,
  transposeB: boolean,
  withBias: boolean,
  fill: Fill = integers,
): Float32Array {
  return tf.tidy(() => {
    const aShape = stored(test.a, transposeA);
    const bShape = stored(test.b, transposeB);
    const columns = test.b[test.b.length - 1] as number;
    const a: tf.Tensor = tf.tensor(fill(aShape, 3), aShape);
    const b: tf.Tensor = tf.tensor(fill(bShape, 4), bShape);
    return tf.fused
      .matMul({
        a: a as tf.Tensor3D, // the fused op accepts rank 2 too; its types say rank 3
        b: b as tf.Tensor3D,
        transposeA,
        transposeB,
        bias: withBias ? tf.tensor1d(fill([columns], 5)) : undefined,
        activation: 'relu',
      })
      .dataSync() as Float32Array;
  });
}

// Inner sides up to 48 only: above that, the original fused kernel on batched operands applies the
// activation to each block of 48 inner elements' partial sum (measured: relu([2,64,64]·[2,64,64])
// differs from the cpu backend in 1,069 of 8,192 elements), and batched fused products keep it.
const FUSED_PRODUCTS = PRODUCTS.filter(
  (test) =>
    test.a.length <= 3 &&
    test.a.length === test.b.length &&
    !test.a.includes(0) &&
    (test.a.at(-1) ?? 0) <= 48,
);

/** Sizes of a small MLP 6-5-4-3 and its batch. */
const MLP_SIZES = [6, 5, 4, 3] as const;
const MLP_BATCH = 8;

/** Gradients of the mean softmax cross-entropy of a ReLU MLP with respect to every weight and bias. */
function mlpGradients(): Float32Array[] {
  return tf.tidy(() => {
    const parameters: tf.Tensor[] = [];
    for (let layer = 0; layer + 1 < MLP_SIZES.length; layer++) {
      const shape = [MLP_SIZES[layer] as number, MLP_SIZES[layer + 1] as number];
      parameters.push(tf.tensor(normals(shape, 10 + layer), shape));
      parameters.push(tf.tensor(normals([shape[1] as number], 20 + layer), [shape[1] as number]));
    }
    const input = tf.tensor(normals([MLP_BATCH, MLP_SIZES[0]], 30), [MLP_BATCH, MLP_SIZES[0]]);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 2, 1], 'int32'), 3);
    const loss = (...weights: tf.Tensor[]) => {
      let x: tf.Tensor = input;
      for (let layer = 0; layer < weights.length; layer += 2) {
        x = tf.add(tf.matMul(x, weights[layer] as tf.Tensor), weights[layer + 1] as tf.Tensor);
        if (layer + 2 < weights.length) x = tf.relu(x);
      }
      return tf.mean(tf.sub(tf.logSumExp(x, -1), tf.sum(tf.mul(labels, x), -1)));
    };
    return tf
      .grads(loss)(parameters)
      .map((gradient) => gradient.dataSync() as Float32Array);
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let index = 0; index < actual.length; index++) {
    expect(Math.abs((actual[index] as number) - (expected[index] as number))).toBeLessThanOrEqual(tolerance);
  }
}

function numDataIds(): number {
  return (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
}

const caseKey = (test: ProductCase, transposeA: boolean, transposeB: boolean) =>
  `${test.name} ${transposeA} ${transposeB}`;

const MATMUL_KERNELS = [tf.BatchMatMul, tf._FusedMatMul];

/** The kernels registered before anything is patched. */
const originalKernels = {
  wasm: [] as tf.KernelFunc[],
  cpu: [] as tf.KernelFunc[],
  others: [] as tf.KernelFunc[],
};

/** Kernels of the other wasm patches, which selectBackend applies too. */
const OTHER_KERNELS = [tf.Transpose, tf.Sum, tf.Slice, tf.SplitV, tf.Unpack, tf.Equal, tf.Identity];

/** Results of the unpatched wasm kernels, computed before anything is patched. */
const original = { integer: new Map<string, Product>(), normal: new Map<string, Product>() };
const originalFused = new Map<string, Float32Array>();
let originalGradients: Float32Array[] = [];
let cpuGradients: Float32Array[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  cpuGradients = mlpGradients();
  await tf.setBackend('wasm');
  for (const test of PRODUCTS) {
    for (const [transposeA, transposeB] of FLAGS) {
      const key = caseKey(test, transposeA, transposeB);
      original.integer.set(key, product(integers, test, transposeA, transposeB));
      original.normal.set(key, product(normals, test, transposeA, transposeB));
      if (FUSED_PRODUCTS.includes(test)) {
        originalFused.set(key, fusedProduct(test, transposeA, transposeB, false));
      }
    }
  }
  originalGradients = mlpGradients();
  originalKernels.wasm = MATMUL_KERNELS.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
  originalKernels.cpu = MATMUL_KERNELS.map((name) => tf.getKernel(name, 'cpu').kernelFunc);
  originalKernels.others = OTHER_KERNELS.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
  expect(await selectBackend({ preferred: 'wasm' })).toBe('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('patchWasmMatMul', () => {
  it('replaces both wasm matMul kernels and leaves the cpu ones alone', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(patchWasmMatMul()).toBe(true);
    const kernels = MATMUL_KERNELS.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
    kernels.forEach((kernel, index) => {
      expect(kernel).not.toBe(originalKernels.wasm[index]);
    });
    expect(MATMUL_KERNELS.map((name) => tf.getKernel(name, 'cpu').kernelFunc)).toEqual(originalKernels.cpu);
  });

  it('is applied by selectBackend together with the other wasm kernel patches', () => {
    OTHER_KERNELS.forEach((name, index) => {
      expect(tf.getKernel(name, 'wasm').kernelFunc).not.toBe(originalKernels.others[index]);
    });
  });

  for (const test of PRODUCTS) {
    it(`matMul equals the original kernel, ${test.name}, all four flag combinations`, async () => {
      await tf.setBackend('wasm');
      for (const [transposeA, transposeB] of FLAGS) {
        const key = caseKey(test, transposeA, transposeB);
        // Exact: integer inputs make every partial sum exact in float32.
        expect(product(integers, test, transposeA, transposeB)).toEqual(original.integer.get(key));
        // Float inputs: another summation order, so equal up to float32 rounding of sums of 7 terms.
        const normal = product(normals, test, transposeA, transposeB);
        const originalNormal = original.normal.get(key) as Product;
        expect(normal.shape).toEqual(originalNormal.shape);
        expectClose(normal.values, originalNormal.values, 1e-5);
      }
    });
  }

  it('matMul agrees with the cpu backend (an independent implementation) for every case', async () => {
    await tf.setBackend('wasm');
    const wasmResults = PRODUCTS.flatMap((test) =>
      FLAGS.map(([transposeA, transposeB]) => product(integers, test, transposeA, transposeB)),
    );
    await tf.setBackend('cpu');
    const cpuResults = PRODUCTS.flatMap((test) =>
      FLAGS.map(([transposeA, transposeB]) => product(integers, test, transposeA, transposeB)),
    );
    await tf.setBackend('wasm');
    expect(wasmResults).toEqual(cpuResults);
  });

  it('fused matMul (relu) equals the original kernel and the cpu backend for all four flag combinations', async () => {
    await tf.setBackend('wasm');
    const wasmResults = FUSED_PRODUCTS.flatMap((test) =>
      FLAGS.map(([transposeA, transposeB]) => fusedProduct(test, transposeA, transposeB, false)),
    );
    const originalResults = FUSED_PRODUCTS.flatMap((test) =>
      FLAGS.map(([transposeA, transposeB]) => originalFused.get(caseKey(test, transposeA, transposeB))),
    );
    expect(wasmResults).toEqual(originalResults);
    await tf.setBackend('cpu');
    const cpuResults = FUSED_PRODUCTS.flatMap((test) =>
      FLAGS.map(([transposeA, transposeB]) => fusedProduct(test, transposeA, transposeB, false)),
    );
    await tf.setBackend('wasm');
    expect(wasmResults).toEqual(cpuResults);
  });

  it('fused matMul with a bias matches the cpu backend where unpatched wasm did not', async () => {
    // tfjs-backend-wasm 4.22 adds the bias wrongly on its flagged and batched path (rows after the first
    // get the last bias entry). Patched, rank-2 products and a batched a times an unbatched b avoid it.
    const fixed = FUSED_PRODUCTS.filter((test) => test.a.length === 2 || test.b[0] === 1);
    expect(fixed).toHaveLength(3);
    const all = () =>
      fixed.flatMap((test) =>
        FLAGS.map(([transposeA, transposeB]) => fusedProduct(test, transposeA, transposeB, true)),
      );
    await tf.setBackend('cpu');
    const cpuResults = all();
    await tf.setBackend('wasm');
    expect(all()).toEqual(cpuResults);
  });

  it('MLP gradients equal those of the original kernels and of the cpu backend to float32 rounding', async () => {
    await tf.setBackend('wasm');
    const gradients = mlpGradients();
    expect(gradients).toHaveLength(2 * (MLP_SIZES.length - 1));
    gradients.forEach((gradient, index) => {
      expectClose(gradient, originalGradients[index] as Float32Array, 1e-6);
      expectClose(gradient, cpuGradients[index] as Float32Array, 1e-6);
    });
  });

  it('leaks no tensor and no backend data in flagged products and gradients', async () => {
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors;
    const dataBefore = numDataIds();
    for (const test of PRODUCTS) {
      for (const [transposeA, transposeB] of FLAGS) product(normals, test, transposeA, transposeB);
    }
    for (const test of FUSED_PRODUCTS) fusedProduct(test, true, true, true, normals);
    mlpGradients();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(numDataIds()).toBe(dataBefore);
  });

  it('gives a repeated left operand of aᵀ·b, computed as (bᵀ·a)ᵀ, the bits of its first product', async () => {
    await tf.setBackend('wasm');
    const dataBefore = numDataIds();
    const a = tf.tensor(normals([300, 20], 40), [300, 20]); // a network's input, the same every step
    const gradients = [41, 42, 41].map((seed) => tf.tensor(normals([300, 50], seed), [300, 50]));
    const explicit = gradients.map((b) => tf.tidy(() => tf.matMul(tf.transpose(a), b).dataSync()));
    // The first product sees `a` for the first time; the later ones reuse it, one with a new b.
    const flagged = gradients.map((b) => tf.tidy(() => tf.matMul(a, b, true, false).dataSync()));
    flagged.forEach((values, index) => {
      expect(values).toEqual(explicit[index]);
    });
    expect(flagged[2]).toEqual(flagged[0]);
    expect(flagged[1]).not.toEqual(flagged[0]);
    tf.dispose([a, ...gradients]);
    expect(numDataIds()).toBe(dataBefore);
  });

  it('rejects mismatched shapes with the original error, leaking nothing', async () => {
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors;
    const dataBefore = numDataIds();
    const a = tf.zeros([3, 4]);
    const b = tf.zeros([5, 2]);
    expect(() => tf.matMul(a, b, true, false)).toThrow(
      'inner shapes (3) and (5) of Tensors with shapes 3,4 and 5,2 and transposeA=true',
    );
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(numDataIds()).toBe(dataBefore);
  });

  it("gives the original kernel's bits for float inputs on the SIMD path", async () => {
    await tf.setBackend('wasm');
    // The per-matrix path is excluded: there XNNPACK adds in k order, the original in blocks of 48.
    const exact = PRODUCTS.filter((test) => test.name.endsWith('SIMD path'));
    expect(exact.length).toBe(6);
    for (const test of exact) {
      for (const [transposeA, transposeB] of FLAGS) {
        const key = caseKey(test, transposeA, transposeB);
        expect(product(normals, test, transposeA, transposeB), key).toEqual(original.normal.get(key));
      }
    }
  });

  it('runs small batched products on the SIMD module and large ones as one C call per matrix', async () => {
    await tf.setBackend('wasm');
    const wasm = (tf.backend() as unknown as { wasm: { _BatchMatMul: (...args: number[]) => void } }).wasm;
    const cCall = wasm._BatchMatMul;
    let calls = 0;
    wasm._BatchMatMul = (...args: number[]) => {
      calls++;
      cCall(...args);
    };
    const callsFor = (test: ProductCase) => {
      calls = 0;
      product(integers, test, false, false);
      return calls;
    };
    try {
      const byName = (name: string) => PRODUCTS.find((test) => test.name === name) as ProductCase;
      expect(callsFor(byName('rank 3, per-matrix path'))).toBe(2);
      expect(callsFor(byName('rank 3, SIMD path'))).toBe(0);
      expect(callsFor(byName('rank 4, attention-sized, SIMD path'))).toBe(0);
      expect(callsFor(byName('rank 3, a broadcast from batch 1, SIMD path'))).toBe(0);
      expect(callsFor(byName('rank 3'))).toBe(0);
      expect(callsFor(byName('rank 3, inner side 64 (original kernel)'))).toBe(1);
      expect(callsFor(byName('rank 4, batches broadcast both ways (original kernel)'))).toBe(1);
      expect(callsFor({ name: 'one column', a: [3, 64, 64], b: [3, 64, 1] })).toBe(1);
    } finally {
      wasm._BatchMatMul = cCall;
    }
  });

  it('is idempotent: selecting wasm again or patching again keeps the same kernels', async () => {
    const kernels = () => MATMUL_KERNELS.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
    const patched = kernels();
    expect(await selectBackend({ preferred: 'wasm' })).toBe('wasm');
    expect(patchWasmMatMul()).toBe(true);
    expect(kernels()).toEqual(patched);
    // One wrapper deep: a product still equals the unpatched result.
    const test = PRODUCTS[1] as ProductCase;
    expect(product(integers, test, true, true)).toEqual(original.integer.get(caseKey(test, true, true)));
    expect(product(integers, test, true, true).values).toHaveLength(3 * 5 * 4);
  });
});
