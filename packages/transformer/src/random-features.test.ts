import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRandomFeatures } from './random-features.js';
import { expectClose, expectNoLeak, useCpu } from './test-helpers.js';

beforeAll(useCpu);

describe('createRandomFeatures', () => {
  it('computes cos(xW + b) with W [inputSize, featureCount] column j = feature j', () => {
    const features = createRandomFeatures({ inputSize: 3, featureCount: 4, seed: 7 });
    const weight = features.weight.arraySync();
    const bias = features.bias.arraySync();
    const input = [
      [0.5, -1, 2],
      [0, 0.25, -0.75],
    ];
    const expected = input.flatMap((row) =>
      bias.map((phase, feature) =>
        Math.cos(row.reduce((sum, value, axis) => sum + value * (weight[axis]?.[feature] ?? 0), phase)),
      ),
    );
    const output = tf.tidy(() => features.transform(tf.tensor2d(input)).dataSync());
    expectClose(output, expected, 1e-5);
    features.dispose();
  });

  it('draws W ~ N(0, std²) with the documented default std and b ~ U[0, 2π)', () => {
    const features = createRandomFeatures({ inputSize: 100, featureCount: 400, seed: 1 });
    expect(features.weightStd).toBeCloseTo(0.1, 12);
    const weights = Array.from(features.weight.dataSync());
    const mean = weights.reduce((sum, value) => sum + value, 0) / weights.length;
    const variance = weights.reduce((sum, value) => sum + (value - mean) ** 2, 0) / weights.length;
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(Math.sqrt(variance)).toBeCloseTo(0.1, 2);
    const phases = Array.from(features.bias.dataSync());
    expect(Math.min(...phases)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...phases)).toBeLessThan(2 * Math.PI);
    expect(phases.reduce((sum, value) => sum + value, 0) / phases.length).toBeCloseTo(Math.PI, 0);
    features.dispose();
  });

  it('approximates the Gaussian kernel: E[2 cos(w·x + b) cos(w·y + b)] = exp(-std² |x - y|² / 2)', () => {
    const std = 0.7;
    const features = createRandomFeatures({ inputSize: 2, featureCount: 40_000, weightStd: std, seed: 3 });
    const points = tf.tensor2d([
      [0, 0],
      [1, 0.5],
    ]);
    const phi = features.transform(points).arraySync();
    const [first, second] = phi as [number[], number[]];
    const estimate =
      (2 * first.reduce((sum, value, index) => sum + value * (second[index] ?? 0), 0)) / first.length;
    expect(estimate).toBeCloseTo(Math.exp((-(std ** 2) * 1.25) / 2), 1);
    expect(Math.abs(estimate - Math.exp((-(std ** 2) * 1.25) / 2))).toBeLessThan(0.02);
    tf.dispose(points);
    features.dispose();
  });

  it('nests: a wider draw with the same seed and transform(x, count) reproduce the narrow features', () => {
    const narrow = createRandomFeatures({ inputSize: 5, featureCount: 6, seed: 11 });
    const wide = createRandomFeatures({ inputSize: 5, featureCount: 50, seed: 11 });
    const input = tf.randomUniform([4, 5], -1, 1, 'float32', 2) as tf.Tensor2D;
    const narrowOut = narrow.transform(input);
    const prefix = wide.transform(input, 6);
    const widePrefix = wide.transform(input).slice([0, 0], [4, 6]);
    expectClose(prefix.dataSync(), narrowOut.dataSync(), 1e-6);
    expectClose(widePrefix.dataSync(), narrowOut.dataSync(), 1e-6);
    const other = createRandomFeatures({ inputSize: 5, featureCount: 6, seed: 12 });
    expect(Array.from(other.weight.dataSync())).not.toEqual(Array.from(narrow.weight.dataSync()));
    tf.dispose([input, narrowOut, prefix, widePrefix]);
    for (const features of [narrow, wide, other]) features.dispose();
  });

  it('gives ReLU features max(0, xW) with zero bias', () => {
    const features = createRandomFeatures({ kind: 'relu', inputSize: 2, featureCount: 3, seed: 5 });
    const weight = features.weight.arraySync();
    const output = tf.tidy(() => features.transform(tf.tensor2d([[1, -2]])).dataSync());
    const expected = [0, 1, 2].map((feature) =>
      Math.max(0, (weight[0]?.[feature] ?? 0) - 2 * (weight[1]?.[feature] ?? 0)),
    );
    expectClose(output, expected, 1e-6);
    expect(Array.from(features.bias.dataSync())).toEqual([0, 0, 0]);
    features.dispose();
  });

  it('rejects bad options and inputs with an OptionError naming the field', () => {
    expect(() => createRandomFeatures({ inputSize: 0, featureCount: 2, seed: 1 })).toThrow(/inputSize/);
    expect(() => createRandomFeatures({ inputSize: 2, featureCount: 2, seed: 1.5 })).toThrow(OptionError);
    expect(() => createRandomFeatures({ inputSize: 2, featureCount: 2, seed: 1, weightStd: -1 })).toThrow(
      /weightStd/,
    );
    expect(() =>
      createRandomFeatures({ inputSize: 2, featureCount: 2, seed: 1, kind: 'sine' as 'relu' }),
    ).toThrow(/kind/);
    const features = createRandomFeatures({ inputSize: 2, featureCount: 2, seed: 1 });
    const wrongWidth = tf.zeros([1, 3]) as tf.Tensor2D;
    const wrongType = tf.zeros([1, 2], 'int32') as tf.Tensor2D;
    const good = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => features.transform(wrongWidth)).toThrow(
      /input must be a float32 tensor of shape \[any, 2\]/,
    );
    expect(() => features.transform(wrongType)).toThrow(/input/);
    expect(() => features.transform(good, 3)).toThrow(/count/);
    tf.dispose([wrongWidth, wrongType, good]);
    features.dispose();
  });

  it('does not leak tensors', () => {
    const features = createRandomFeatures({ inputSize: 3, featureCount: 8, seed: 1 });
    const input = tf.ones([2, 3]) as tf.Tensor2D;
    expectNoLeak(() => features.transform(input, 4));
    expectNoLeak(() => features.transform(input));
    input.dispose();
    const before = tf.memory().numTensors;
    createRandomFeatures({ inputSize: 3, featureCount: 8, seed: 1 }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    features.dispose();
  });
});
