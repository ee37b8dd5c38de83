import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRandom, wasmModuleOnHeap } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { modulePathOf, moduleSource } from '../../../scripts/build-wasm.mjs';
import { composedLayerNorm, layerNorm } from './layer-norm.js';
import { layerNormModuleBase64 } from './layer-norm-module.js';
import { expectClose, expectNoLeak } from './test-helpers.js';

const shape = [2, 3, 5] as const;
const width = shape[2];
const epsilon = 1e-5;
/** Deterministic inputs with rows of different means and spreads. */
const xValues = Array.from(
  { length: 30 },
  (_, index) => Math.sin(1.7 * index) * (1 + (index % 4)) + (index % 3),
);
const weightValues = [1.5, -0.5, 0.25, 2, 1];
const biasValues = [0.1, 0, -0.3, 0.2, 0.05];
/** Upstream gradient of y, so the loss is Σ c·y. */
const upstreamValues = Array.from({ length: 30 }, (_, index) => Math.cos(0.9 * index));

/** LayerNorm of the rows of xValues in float64, straight from the definition. */
function referenceForward(): number[] {
  const result: number[] = [];
  for (let start = 0; start < xValues.length; start += width) {
    const row = xValues.slice(start, start + width);
    const mean = row.reduce((sum, value) => sum + value, 0) / width;
    const variance = row.reduce((sum, value) => sum + (value - mean) ** 2, 0) / width;
    row.forEach((value, column) => {
      result.push(
        ((value - mean) / Math.sqrt(variance + epsilon)) * weightValues[column]! + biasValues[column]!,
      );
    });
  }
  return result;
}

/** Loss Σ c·y and its gradients with respect to x, weight and bias, flattened in that order. */
function lossAndGradients(normalize: typeof layerNorm): number[] {
  return tf.tidy(() => {
    const upstream = tf.tensor3d(upstreamValues, [...shape]);
    const loss = (x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor) =>
      tf.sum(tf.mul(normalize(x, weight, bias, epsilon), upstream));
    const { value, grads } = tf.valueAndGrads(loss)([
      tf.tensor3d(xValues, [...shape]),
      tf.tensor1d(weightValues),
      tf.tensor1d(biasValues),
    ]);
    return [...value.dataSync(), ...grads.flatMap((gradient) => Array.from(gradient.dataSync()))];
  });
}

describe('layerNorm', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`equals the float64 definition on ${backend}`, async () => {
      await tf.setBackend(backend);
      const y = layerNorm(
        tf.tensor3d(xValues, [...shape]),
        tf.tensor1d(weightValues),
        tf.tensor1d(biasValues),
        epsilon,
      );
      expect(y.shape).toEqual([...shape]);
      expectClose(y.dataSync(), referenceForward(), 2e-6);
    });

    it(`has the gradients of tfjs' autodiff of the composed ops on ${backend}`, async () => {
      await tf.setBackend(backend);
      const fused = lossAndGradients(layerNorm);
      const composed = lossAndGradients(composedLayerNorm);
      expect(fused.length).toBe(1 + 30 + 2 * width);
      expect(fused.slice(1).every((value) => value !== 0)).toBe(true);
      expectClose(fused, composed, 2e-5);
    });

    it(`matches central finite differences of the float64 definition on ${backend}`, async () => {
      await tf.setBackend(backend);
      const gradientOfX = lossAndGradients(layerNorm).slice(1, 31);
      const lossAt = (values: number[]) => {
        let total = 0;
        for (let start = 0; start < values.length; start += width) {
          const row = values.slice(start, start + width);
          const mean = row.reduce((sum, value) => sum + value, 0) / width;
          const variance = row.reduce((sum, value) => sum + (value - mean) ** 2, 0) / width;
          row.forEach((value, column) => {
            const y =
              ((value - mean) / Math.sqrt(variance + epsilon)) * weightValues[column]! + biasValues[column]!;
            total += y * upstreamValues[start + column]!;
          });
        }
        return total;
      };
      const step = 1e-6;
      const differences = xValues.map((_, index) => {
        const plus = [...xValues];
        const minus = [...xValues];
        plus[index]! += step;
        minus[index]! -= step;
        return (lossAt(plus) - lossAt(minus)) / (2 * step);
      });
      expectClose(gradientOfX, differences, 1e-4);
    });

    it(`leaks no tensor, forward or backward, on ${backend}`, async () => {
      await tf.setBackend(backend);
      const [x, weight, bias] = [
        tf.tensor3d(xValues, [...shape]),
        tf.tensor1d(weightValues),
        tf.tensor1d(biasValues),
      ];
      expectNoLeak(() => layerNorm(x, weight, bias, epsilon));
      expectNoLeak(() =>
        tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(layerNorm(a, b, c, epsilon)))([
          x,
          weight,
          bias,
        ]),
      );
      tf.dispose([x, weight, bias]);
    });
  }
});

/** y, dx, dweight and dbias of Σ dy·layerNorm(x) for seeded random inputs, on the current backend. */
function forwardAndGradients(rows: number, columns: number): Float32Array[] {
  const random = createRandom(7);
  const draw = (count: number, scale: number, offset: number) =>
    Float32Array.from({ length: count }, () => offset + scale * random.normal());
  const x = tf.tensor2d(draw(rows * columns, 3, 0.5), [rows, columns]);
  const weight = tf.tensor1d(draw(columns, 0.5, 1));
  const bias = tf.tensor1d(draw(columns, 0.1, 0));
  const upstream = tf.tensor2d(draw(rows * columns, 1, 0), [rows, columns]);
  const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    tf.sum(tf.mul(layerNorm(a, b, c, epsilon), upstream));
  const y = layerNorm(x, weight, bias, epsilon);
  const gradients = tf.grads(loss)([x, weight, bias]);
  const values = [y, ...gradients].map((tensor) => tensor.dataSync() as Float32Array);
  tf.dispose([x, weight, bias, upstream, y, ...gradients]);
  return values;
}

describe('layer-norm.wat', () => {
  it("runs on the wasm backend, with the JavaScript kernels' bits (the cpu backend runs those)", async () => {
    await tf.setBackend('wasm');
    const heap = (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } }).wasm.asm
      .memory;
    expect(wasmModuleOnHeap(layerNormModuleBase64, heap)).toBeDefined();
    for (const [rows, columns] of [
      [1792, 48],
      [37, 5],
      [3, 1],
    ] as const) {
      const onWasm = forwardAndGradients(rows, columns);
      await tf.setBackend('cpu');
      const onCpu = forwardAndGradients(rows, columns);
      await tf.setBackend('wasm');
      onWasm.forEach((values, index) => {
        const reference = onCpu[index] as Float32Array;
        expect(values.length).toBe(reference.length);
        expect(values.every((value, element) => Object.is(value, reference[element]))).toBe(true);
      });
    }
  });

  it('is the compiled layer-norm.wat (run scripts/build-wasm.mjs after editing the .wat)', async () => {
    const watPath = fileURLToPath(new URL('./layer-norm.wat', import.meta.url));
    expect(readFileSync(modulePathOf(watPath), 'utf8')).toBe(await moduleSource(watPath));
  });
});
