import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gelu } from './activation.js';
import { expectClose, expectNoLeak } from './test-helpers.js';

/** erf by its Maclaurin series in float64 (accurate to ~1e-10 for |x| <= 4, where its terms stay below 1e6). */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Φ(x), with the exact limits beyond |x| = 5.6 (where 1 − Φ < 1e-8). */
function normalDistribution(x: number): number {
  if (x > 5.6) return 1;
  if (x < -5.6) return 0;
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

const points = [-12, -6, -3.5, -2, -1, -0.5, -0.1, 0, 0.1, 0.5, 1, 2, 3.5, 6, 12];

describe('gelu', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`is x·Φ(x) with the derivative Φ(x) + x·φ(x) on ${backend}`, async () => {
      await tf.setBackend(backend);
      const x = tf.tensor1d(points);
      const [value, gradient] = tf.tidy(() => [
        gelu(x).dataSync(),
        tf
          .grad((input: tf.Tensor) => tf.sum(gelu(input)))(x)
          .dataSync(),
      ]);
      const density = (point: number) => Math.exp(-0.5 * point * point) / Math.sqrt(2 * Math.PI);
      expectClose(
        value as Float32Array,
        points.map((point) => point * normalDistribution(point)),
        3e-6,
      );
      expectClose(
        gradient as Float32Array,
        points.map((point) => normalDistribution(point) + point * density(point)),
        2e-6,
      );
      x.dispose();
    });

    it(`has the second derivative φ(x)·(2 − x²) on ${backend}`, async () => {
      await tf.setBackend(backend);
      const x = tf.tensor1d([0.7, -1.3, 2.5]);
      const second = tf.tidy(() =>
        tf
          .grad((input: tf.Tensor) => tf.sum(tf.grad((inner: tf.Tensor) => tf.sum(gelu(inner)))(input)))(x)
          .dataSync(),
      );
      const density = (point: number) => Math.exp(-0.5 * point * point) / Math.sqrt(2 * Math.PI);
      expectClose(
        second as Float32Array,
        [0.7, -1.3, 2.5].map((point) => density(point) * (2 - point * point)),
        2e-6,
      );
      x.dispose();
    });

    it(`scales the upstream gradient and leaks no tensor on ${backend}`, async () => {
      await tf.setBackend(backend);
      const x = tf.tensor1d([0.3, -1.2]);
      const upstream = tf.tensor1d([2, -3]);
      const scaled = tf.tidy(() =>
        tf
          .grad((input: tf.Tensor) => tf.sum(tf.mul(gelu(input), upstream)))(x)
          .dataSync(),
      );
      const unit = tf.tidy(() =>
        tf
          .grad((input: tf.Tensor) => tf.sum(gelu(input)))(x)
          .dataSync(),
      );
      expect(scaled[0]).toBeCloseTo(2 * (unit[0] as number), 6);
      expect(scaled[1]).toBeCloseTo(-3 * (unit[1] as number), 6);
      expectNoLeak(() => gelu(x));
      expectNoLeak(() => tf.grad((input: tf.Tensor) => tf.sum(gelu(input)))(x));
      tf.dispose([x, upstream]);
    });
  }
});
