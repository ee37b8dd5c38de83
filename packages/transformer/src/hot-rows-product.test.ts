import '@tensorflow/tfjs-backend-wasm';
import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { hotRowsProduct } from './hot-rows-product.js';
import { createMlp } from './mlp.js';
import { expectClose, expectNoLeak } from './test-helpers.js';

/** Pairs (a, b) of a modulus-7 task as positions (a, 7 + b), increasing in each row. */
const pairs = [
  [0, 7],
  [3, 12],
  [6, 13],
  [2, 9],
  [3, 10],
];

/** Loss and every gradient of a one-hidden-layer MLP, on one-hot float rows or on their positions. */
function lossAndGradients(hot: boolean): number[] {
  const model = createMlp({
    inputSize: 14,
    hiddenSizes: [6],
    outputSize: 7,
    init: 'torch-linear',
    seed: 4,
    ...(hot ? { hotInputs: 2 } : {}),
  });
  const input = hot
    ? tf.tensor2d(pairs, [pairs.length, 2], 'int32')
    : tf.tensor2d(
        pairs.map((row) => Array.from({ length: 14 }, (_, column) => (row.includes(column) ? 1 : 0))),
      );
  const labels = tf.tensor1d([1, 5, 0, 4, 6], 'int32');
  const values = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => model.loss(input as tf.Tensor2D, labels));
    return [
      ...value.dataSync(),
      ...[...model.variables.values()].flatMap((variable) =>
        Array.from((grads[variable.name] as tf.Tensor).dataSync()),
      ),
    ];
  });
  tf.dispose([input, labels]);
  model.dispose();
  return values;
}

describe('hotRowsProduct', () => {
  it('adds the weight rows at the hot positions (exact small case) and leaks nothing', async () => {
    await tf.setBackend('cpu');
    const weight = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const hot = tf.tensor2d(
      [
        [0, 2],
        [1, 1],
      ],
      [2, 2],
      'int32',
    );
    expect(hotRowsProduct(hot, weight).arraySync()).toEqual([
      [6, 8],
      [6, 8],
    ]);
    expectNoLeak(() => hotRowsProduct(hot, weight));
    expect(() => hotRowsProduct(tf.tensor2d([[0, 3]], [1, 2], 'int32'), weight)).toThrow(OptionError);
    tf.dispose([weight, hot]);
  });

  it('gives a one-hot MLP the same loss and gradients as dense one-hot rows: exactly on wasm', async () => {
    await tf.setBackend('wasm');
    const hot = lossAndGradients(true);
    expect(hot).toEqual(lossAndGradients(false));
    expect(hot.some((value) => value !== 0)).toBe(true);
  });

  it('does so on cpu within float32 rounding', async () => {
    await tf.setBackend('cpu');
    expectClose(lossAndGradients(true), lossAndGradients(false), 1e-6);
  });

  it('leaks no tensor through a gradient step on wasm', async () => {
    await tf.setBackend('wasm');
    const weight = tf.variable(tf.randomNormal<tf.Rank.R2>([14, 3], 0, 1, 'float32', 1));
    const hot = tf.tensor2d(pairs, [pairs.length, 2], 'int32');
    tf.variableGrads(() => tf.sum(hotRowsProduct(hot, weight)));
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(hotRowsProduct(hot, weight)));
      return [value, ...Object.values(grads)];
    });
    tf.dispose([weight, hot]);
  });
});
