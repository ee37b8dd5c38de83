// A file of its own: it needs the wasm kernels unpatched first, and vitest gives each test file a
// fresh process.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../random.js';
import { patchWasmEqual } from './wasm-equal.js';
import { patchWasmIdentity } from './wasm-identity.js';
import { wasmInternals } from './wasm-internals.js';
import { patchWasmKernels } from './wasm-kernels.js';
import { patchWasmSlice } from './wasm-slice.js';
import { patchWasmSum } from './wasm-sum.js';
import { patchWasmTranspose } from './wasm-transpose.js';

/** Small integers: every partial sum is exact in float32, so any summation order agrees. */
function integers(shape: number[], offset = 0): tf.Tensor {
  const size = shape.reduce((product, side) => product * side, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, (_, index) => ((index * 7 + offset) % 11) - 5),
    shape,
  );
}

function normals(shape: number[], seed: number): tf.Tensor {
  const random = createRandom(seed);
  const size = shape.reduce((product, side) => product * side, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => random.normal()),
    shape,
  );
}

/** Sum cases: shape, axes, keepDims; the first ones take the column sum, the rest the original kernel. */
const SUMS: readonly { name: string; shape: number[]; axis: number[]; keepDims?: boolean }[] = [
  { name: 'bias gradient [2048, 6] over axis 0', shape: [2048, 6], axis: [0] },
  { name: 'leading axes 0, 1 of [16, 32, 10], keepDims', shape: [16, 32, 10], axis: [0, 1], keepDims: true },
  { name: 'one column [4096, 1]', shape: [4096, 1], axis: [0] },
  { name: 'fallback: leading axes in another order', shape: [16, 32, 10], axis: [1, 0] },
  { name: 'fallback: innermost axis', shape: [2048, 6], axis: [1] },
  { name: 'fallback: a middle axis', shape: [16, 32, 10], axis: [1] },
  { name: 'fallback: every axis', shape: [64, 64], axis: [0, 1] },
  { name: 'fallback: under 4,096 elements', shape: [100, 30], axis: [0] },
];

/** Slice-family cases, each a function of its input giving one or several tensors. */
const SLICES: readonly { name: string; shape: number[]; run: (x: tf.Tensor) => tf.Tensor[] }[] = [
  { name: 'slice rank 2 rows', shape: [6, 5], run: (x) => [tf.slice(x, [1, 0], [3, 5])] },
  { name: 'slice rank 3 inner window', shape: [4, 5, 6], run: (x) => [tf.slice(x, [1, 2, 3], [2, 2, 2])] },
  {
    name: 'slice rank 4 long runs',
    shape: [3, 4, 5, 40],
    run: (x) => [tf.slice(x, [0, 1, 2, 0], [2, 3, 2, 40])],
  },
  {
    name: 'slice rank 5',
    shape: [2, 3, 2, 3, 4],
    run: (x) => [tf.slice(x, [1, 0, 1, 1, 1], [1, 3, 1, 2, 3])],
  },
  { name: 'slice rank 1 and empty', shape: [9], run: (x) => [tf.slice(x, [2], [5]), tf.slice(x, [3], [0])] },
  { name: 'split last axis in three', shape: [8, 12], run: (x) => tf.split(x, 3, 1) },
  { name: 'split axis 1 unevenly', shape: [4, 10, 3], run: (x) => tf.split(x, [2, 7, 1], 1) },
  { name: 'unstack axis 0', shape: [5, 3, 4], run: (x) => tf.unstack(x) },
  { name: 'unstack axis 1', shape: [5, 3, 4], run: (x) => tf.unstack(x, 1) },
  { name: 'unstack last axis, int32', shape: [3, 4], run: (x) => tf.unstack(tf.cast(x, 'int32'), -1) },
];

/** Transposes: the first ones are tiled, the rest keep the original kernel. */
const TRANSPOSES: readonly { name: string; shape: number[]; perm?: number[]; dtype?: tf.DataType }[] = [
  { name: 'rank 2 [256, 64]', shape: [256, 64] },
  { name: 'rank 3 swap last two [3, 128, 136]', shape: [3, 128, 136], perm: [0, 2, 1] },
  { name: 'rank 4 swap last two, int32', shape: [2, 2, 128, 130], perm: [0, 1, 3, 2], dtype: 'int32' },
  { name: 'bool [128, 128]', shape: [128, 128], dtype: 'bool' },
  { name: 'fallback: rows not a multiple of 128', shape: [200, 100] },
  { name: 'fallback: under 16 columns', shape: [2048, 15] },
  { name: 'fallback: under 16,384 elements', shape: [256, 20] },
  { name: 'fallback: another permutation', shape: [4, 128, 40], perm: [1, 0, 2] },
];

/** Equal cases as [a shape, b shape]: the first ones compare with row values in one pass. */
const EQUALS: readonly { name: string; a: number[]; b: number[]; dtype?: tf.DataType }[] = [
  { name: 'row maxima [40, 7] vs [40, 1]', a: [40, 7], b: [40, 1] },
  { name: 'rows first [3, 5, 1, 1] vs [3, 5, 2, 4]', a: [3, 5, 1, 1], b: [3, 5, 2, 4] },
  { name: 'one value for all, int32', a: [6, 4], b: [1, 1], dtype: 'int32' },
  { name: 'fallback: equal shapes', a: [6, 4], b: [6, 4] },
  { name: 'fallback: broadcast along a leading axis', a: [6, 4], b: [1, 4] },
  { name: 'fallback: different ranks', a: [6, 4], b: [4] },
];

type Result = { shape: number[]; dtype: string; values: number[] };

const read = (tensors: tf.Tensor[]): Result[] =>
  tensors.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));

function sumResults(fill: (shape: number[]) => tf.Tensor): Result[] {
  return SUMS.flatMap(({ shape, axis, keepDims }) =>
    tf.tidy(() => read([tf.sum(fill(shape), axis, keepDims)])),
  );
}

function transposeResults(): Result[] {
  return TRANSPOSES.flatMap(({ shape, perm, dtype }) =>
    tf.tidy(() => {
      const values = integers(shape);
      const x = dtype === 'bool' ? tf.greater(values, 0) : tf.cast(values, dtype ?? 'float32');
      return read([tf.transpose(x, perm)]);
    }),
  );
}

/** Equal on values with many ties (including NaN, which equals nothing). */
function equalResults(): Result[] {
  return EQUALS.flatMap(({ a, b, dtype }) =>
    tf.tidy(() => {
      const coarse = (shape: number[], offset: number) => {
        const x = tf.floorDiv(integers(shape, offset), 4);
        return dtype === 'int32' ? tf.cast(x, 'int32') : tf.where(tf.equal(x, -2), tf.scalar(Number.NaN), x);
      };
      return read([tf.equal(coarse(a, 1), coarse(b, 3))]);
    }),
  );
}

function sliceResults(): Result[][] {
  return SLICES.map(({ shape, run }) => tf.tidy(() => read(run(integers(shape)))));
}

/**
 * Gradients of an attention layer with a bias, split qkv, an unstack over time and a logSumExp, whose
 * shapes take every patched path: the per-matrix products, the tiled transposes, the column sum of the
 * bias gradient, the in-place slices and the comparison with row maxima.
 */
function attentionGradients(): Float32Array[] {
  return tf.tidy(() => {
    const [batch, time, width] = [8, 16, 128]; // [batch·time, width] = [128, 128]: the tiled transposes
    const input = normals([batch, time, width], 1);
    const weight = tf.mul(normals([width, 3 * width], 2), 1 / Math.sqrt(width)); // q, k, v entries ~ N(0, 1)
    const bias = tf.mul(normals([3 * width], 3), 0.1);
    const loss = (w: tf.Tensor, b: tf.Tensor) => {
      const projected = tf.add(tf.matMul(input.reshape([batch * time, width]), w), b); // [B*T, 3C]
      const [query, key, value] = tf.split(
        projected.reshape([batch, time, 3 * width]),
        3,
        2,
      ) as tf.Tensor3D[];
      const products = tf.matMul(query as tf.Tensor3D, key as tf.Tensor3D, false, true); // [B, T, T]
      const scores = tf.mul(products, 1 / Math.sqrt(width));
      const mixed = tf.matMul(tf.softmax(scores), value as tf.Tensor3D); // [B, T, C]
      const steps = tf.unstack(mixed, 1); // T x [B, C]
      const weighted = steps.map((step, index) => tf.mul(tf.sum(tf.square(step)), 1 + index / time));
      return tf.add(tf.addN(weighted), tf.sum(tf.logSumExp(scores, -1))) as tf.Scalar;
    };
    return tf
      .grads(loss)([weight, bias])
      .map((gradient) => gradient.dataSync() as Float32Array);
  });
}

function numDataIds(): number {
  return (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs), 1e-30);
  for (let index = 0; index < actual.length; index++) {
    expect(Math.abs((actual[index] as number) - (expected[index] as number))).toBeLessThanOrEqual(
      relative * scale,
    );
  }
}

const KERNELS = [tf.Sum, tf.Slice, tf.SplitV, tf.Unpack, tf.Transpose, tf.Equal, tf.Identity];
const cpu = {
  sums: [] as Result[],
  slices: [] as Result[][],
  transposes: [] as Result[],
  equals: [] as Result[],
  gradients: [] as Float32Array[],
};
const original = {
  sums: [] as Result[],
  transposes: [] as Result[],
  equals: [] as Result[],
  normalSums: [] as Result[],
  slices: [] as Result[][],
  gradients: [] as Float32Array[],
  kernels: [] as tf.KernelFunc[],
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  cpu.sums = sumResults(integers);
  cpu.slices = sliceResults();
  cpu.transposes = transposeResults();
  cpu.equals = equalResults();
  cpu.gradients = attentionGradients();
  await tf.setBackend('wasm');
  original.sums = sumResults(integers);
  original.normalSums = sumResults((shape) => normals(shape, 7));
  original.slices = sliceResults();
  original.transposes = transposeResults();
  original.equals = equalResults();
  original.gradients = attentionGradients();
  original.kernels = KERNELS.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
  expect(patchWasmKernels()).toBe(true);
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('patchWasmSum', () => {
  it('replaces the wasm Sum kernel only', () => {
    expect(tf.getKernel(tf.Sum, 'wasm').kernelFunc).not.toBe(original.kernels[0]);
  });

  it('equals the original kernel and the cpu backend exactly on integer inputs, fallbacks included', () => {
    const results = sumResults(integers);
    expect(results).toEqual(original.sums);
    expect(results).toEqual(cpu.sums);
  });

  it('equals the original kernel bit for bit on random floats (same float32 additions, same order)', () => {
    const results = sumResults((shape) => normals(shape, 7));
    expect(results).toEqual(original.normalSums);
    // Not vacuous: a float64 accumulator rounds differently in most columns of these sums.
    const [first] = SUMS;
    const inFloat64 = tf.tidy(() => {
      const values = normals(first?.shape ?? [], 7).dataSync();
      const columns = first?.shape[1] ?? 1;
      const totals = new Float64Array(columns);
      values.forEach((value, index) => {
        totals[index % columns] = (totals[index % columns] as number) + value;
      });
      return Array.from(totals, Math.fround);
    });
    expect(inFloat64).not.toEqual(original.normalSums[0]?.values);
  });

  it('keeps the original kernel for int32 (exact sums either way)', () => {
    const sums = tf.tidy(() => Array.from(tf.sum(tf.cast(integers([4096, 2]), 'int32'), 0).dataSync()));
    const expected = tf.tidy(() => Array.from(tf.sum(integers([4096, 2]), 0).dataSync()));
    expect(sums).toEqual(expected);
  });
});

describe('patchWasmSlice', () => {
  it('replaces the wasm Slice, SplitV and Unpack kernels', () => {
    KERNELS.slice(1).forEach((name, index) => {
      expect(tf.getKernel(name, 'wasm').kernelFunc).not.toBe(original.kernels[index + 1]);
    });
  });

  it('gives exactly the original kernels’ and the cpu backend’s results', () => {
    const results = sliceResults();
    expect(results).toEqual(original.slices);
    expect(results).toEqual(cpu.slices);
  });

  it('keeps the original kernels for string tensors (tf.split takes no strings)', () => {
    const words = tf.tensor2d([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(tf.slice(words, [1, 0], [1, 2]).arraySync()).toEqual([['c', 'd']]);
    expect(tf.unstack(words, 1).map((column) => column.arraySync())).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
    words.dispose();
  });
});

describe('patchWasmTranspose', () => {
  it('replaces the wasm Transpose kernel', () => {
    expect(tf.getKernel(tf.Transpose, 'wasm').kernelFunc).not.toBe(original.kernels[4]);
  });

  it('gives exactly the original kernel’s and the cpu backend’s results, fallbacks included', () => {
    const results = transposeResults();
    expect(results).toEqual(original.transposes);
    expect(results).toEqual(cpu.transposes);
  });
});

describe('patchWasmEqual', () => {
  it('replaces the wasm Equal kernel', () => {
    expect(tf.getKernel(tf.Equal, 'wasm').kernelFunc).not.toBe(original.kernels[5]);
  });

  it('gives exactly the original kernel’s and the cpu backend’s results, fallbacks and NaN included', () => {
    const results = equalResults();
    expect(results).toEqual(original.equals);
    expect(results).toEqual(cpu.equals);
    expect(results[0]?.values).toContain(1);
    expect(results[0]?.values).toContain(0);
  });
});

describe('patchWasmIdentity', () => {
  it('replaces the wasm Identity kernel', () => {
    expect(tf.getKernel(tf.Identity, 'wasm').kernelFunc).not.toBe(original.kernels[6]);
  });

  it('gives clones that share the data, outlive their source and free it last', () => {
    const dataBefore = numDataIds();
    const tensorsBefore = tf.memory().numTensors;
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const source = tf.tidy(() => tf.cast(integers([3, 4]), dtype));
      const expected = Array.from(source.dataSync());
      const copy = tf.clone(source);
      expect(numDataIds()).toBe(dataBefore + 1); // shared, not copied
      source.dispose();
      expect(copy.dtype).toBe(dtype);
      expect(copy.shape).toEqual([3, 4]);
      expect(Array.from(copy.dataSync())).toEqual(expected);
      copy.dispose();
      expect(numDataIds()).toBe(dataBefore);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('keeps the original kernel for strings', () => {
    const words = tf.tensor1d(['a', 'b']);
    const copy = tf.clone(words);
    words.dispose();
    expect(copy.arraySync()).toEqual(['a', 'b']);
    copy.dispose();
  });
});

describe('patchWasmKernels', () => {
  it('finds every part of the wasm backend the patches use (else they all keep the originals)', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmInternals(tf.backend())).toBeDefined();
    expect(wasmInternals({ wasm: {} })).toBeUndefined();
  });

  it('gives attention gradients equal to the original kernels and the cpu backend', () => {
    const gradients = attentionGradients();
    gradients.forEach((gradient, index) => {
      expectClose(gradient, original.gradients[index] as Float32Array, 1e-5);
      expectClose(gradient, cpu.gradients[index] as Float32Array, 1e-5);
    });
  });

  it('leaks no tensor and no backend data', () => {
    const tensorsBefore = tf.memory().numTensors;
    const dataBefore = numDataIds();
    sumResults(integers);
    sliceResults();
    transposeResults();
    equalResults();
    attentionGradients();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(numDataIds()).toBe(dataBefore);
  });

  it('is idempotent', () => {
    const kernels = () => KERNELS.map((name) => tf.getKernel(name, 'wasm').kernelFunc);
    const patched = kernels();
    expect(patchWasmKernels()).toBe(true);
    expect(patchWasmSum()).toBe(true);
    expect(patchWasmSlice()).toBe(true);
    expect(patchWasmTranspose()).toBe(true);
    expect(patchWasmEqual()).toBe(true);
    expect(patchWasmIdentity()).toBe(true);
    expect(kernels()).toEqual(patched);
    expect(sliceResults()).toEqual(original.slices);
  });
});
