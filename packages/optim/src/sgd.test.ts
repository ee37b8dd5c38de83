import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSgd } from './sgd.js';
import { disposeAll, gradientsOf, useCpuBackend, valuesOf, variablesOf } from './test-support.js';

beforeAll(useCpuBackend);

/** Applies the fixed gradient [0.5, 1] twice to w = [1, -2] and returns w. */
function twoSteps(options: { momentum?: number; nesterov?: boolean; weightDecay?: number }): number[] {
  const variables = variablesOf({ w: [1, -2] });
  const gradients = gradientsOf({ w: [0.5, 1] });
  const optimizer = createSgd({ variables, learningRate: 0.1, ...options });
  optimizer.applyGradients(gradients);
  optimizer.applyGradients(gradients);
  const result = valuesOf(variables, 'w');
  optimizer.dispose();
  disposeAll(gradients);
  disposeAll(variables);
  return result;
}

function expectClose(actual: number[], expected: number[]): void {
  expected.forEach((value, index) => {
    expect(actual[index]).toBeCloseTo(value, 6);
  });
}

describe('createSgd', () => {
  it('plain SGD: w -= lr g (worked by hand)', () => {
    expectClose(twoSteps({}), [0.9, -2.2]);
  });

  it('heavy-ball momentum: v = mu v + g, w -= lr v (worked by hand)', () => {
    // v1 = g, w1 = [0.95, -2.1]; v2 = 1.9 g, w2 = w1 - 0.19 g.
    expectClose(twoSteps({ momentum: 0.9 }), [0.855, -2.29]);
  });

  it('Nesterov momentum: w -= lr (g + mu v) (worked by hand)', () => {
    // Step 1 direction 1.9 g, step 2 direction g + 0.9 * 1.9 g = 2.71 g.
    // Total 0.1 * 4.61 g = [0.2305, 0.461].
    expectClose(twoSteps({ momentum: 0.9, nesterov: true }), [0.7695, -2.461]);
  });

  it('weight decay adds weightDecay * w to the gradient (worked by hand)', () => {
    // Step 1: g' = [0.6, 0.8] -> w1 = [0.94, -2.08]; step 2: g' = [0.594, 0.792].
    expectClose(twoSteps({ weightDecay: 0.1 }), [0.94 - 0.0594, -2.08 - 0.0792]);
  });

  it('follows a learning-rate schedule and counts iterations', () => {
    const variables = variablesOf({ w: [0] });
    const gradients = gradientsOf({ w: [1] });
    const optimizer = createSgd({ variables, learningRate: (step) => step + 1 });
    expect(optimizer.currentLearningRate()).toBe(1);
    optimizer.applyGradients(gradients);
    optimizer.applyGradients(gradients);
    expect(optimizer.iterations).toBe(2);
    expect(valuesOf(variables, 'w')).toEqual([-3]);
    optimizer.dispose();
    disposeAll(gradients);
    disposeAll(variables);
  });

  it('minimizes a quadratic and leaks no tensors over many steps', () => {
    const variables = variablesOf({ w: [3, -1] });
    const optimizer = createSgd({ variables, learningRate: 0.1, momentum: 0.5, gradientClipNorm: 10 });
    const loss = (): tf.Scalar => tf.sum(tf.square(variables.get('w')!)) as tf.Scalar;
    optimizer.minimize(loss);
    const afterFirst = tf.memory().numTensors;
    for (let step = 0; step < 50; step++) optimizer.minimize(loss);
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect(Math.max(...valuesOf(variables, 'w').map(Math.abs))).toBeLessThan(1e-3);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(afterFirst - 1);
    disposeAll(variables);
  });

  it('throws OptionError for bad options and an Error for a missing gradient', () => {
    const variables = variablesOf({ w: [0] });
    expect(() => createSgd({ variables, learningRate: 0.1, momentum: 1 })).toThrow(/momentum/);
    expect(() => createSgd({ variables, learningRate: 0.1, nesterov: true })).toThrow(OptionError);
    expect(() => createSgd({ variables, learningRate: 0.1, weightDecay: -1 })).toThrow(/weightDecay/);
    expect(() => createSgd({ variables, learningRate: -1 })).toThrow(/learningRate/);
    expect(() => createSgd({ variables, learningRate: () => Number.NaN }).applyGradients(new Map())).toThrow(
      /learningRate/,
    );
    expect(() => createSgd({ variables, learningRate: 1 }).applyGradients(new Map())).toThrow(/"w"/);
    disposeAll(variables);
  });
});
