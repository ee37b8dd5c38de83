import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { composedLayerNorm, layerNorm } from './layer-norm.js';
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
