import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdam, createAdamW } from './adam.js';
import { disposeAll, gradientsOf, useCpuBackend, valuesOf, variablesOf } from './test-support.js';

beforeAll(useCpuBackend);

/** Scalar Adam written out from the paper's Algorithm 1, in float64 (the independent truth). */
function referenceAdam(
  start: number,
  gradients: number[],
  settings: { learningRate: number; weightDecay: number; decoupled: boolean },
): number {
  const beta1 = 0.9;
  const beta2 = 0.999;
  let weight = start;
  let first = 0;
  let second = 0;
  gradients.forEach((raw, index) => {
    const step = index + 1;
    const gradient = settings.decoupled ? raw : raw + settings.weightDecay * weight;
    first = beta1 * first + (1 - beta1) * gradient;
    second = beta2 * second + (1 - beta2) * gradient * gradient;
    const corrected = first / (1 - beta1 ** step);
    const correctedSecond = second / (1 - beta2 ** step);
    if (settings.decoupled) weight -= settings.learningRate * settings.weightDecay * weight;
    weight -= (settings.learningRate * corrected) / (Math.sqrt(correctedSecond) + 1e-8);
  });
  return weight;
}

function run(create: typeof createAdam, gradientSequence: number[], weightDecay: number): number {
  const variables = variablesOf({ w: [1] });
  const optimizer = create({ variables, learningRate: 0.1, weightDecay });
  for (const value of gradientSequence) {
    const gradients = gradientsOf({ w: [value] });
    optimizer.applyGradients(gradients);
    disposeAll(gradients);
  }
  const [result] = valuesOf(variables, 'w');
  optimizer.dispose();
  disposeAll(variables);
  return result as number;
}

describe('createAdam and createAdamW', () => {
  const sequence = [0.5, -1, 2, 0.25, -0.3];

  it('Adam matches the paper update step by step (first step moves by exactly lr)', () => {
    expect(run(createAdam, [0.5], 0)).toBeCloseTo(0.9, 6);
    expect(run(createAdam, sequence, 0)).toBeCloseTo(
      referenceAdam(1, sequence, { learningRate: 0.1, weightDecay: 0, decoupled: false }),
      5,
    );
    expect(run(createAdam, sequence, 0.3)).toBeCloseTo(
      referenceAdam(1, sequence, { learningRate: 0.1, weightDecay: 0.3, decoupled: false }),
      5,
    );
  });

  it('AdamW matches the reference with decoupled decay', () => {
    expect(run(createAdamW, sequence, 0.3)).toBeCloseTo(
      referenceAdam(1, sequence, { learningRate: 0.1, weightDecay: 0.3, decoupled: true }),
      5,
    );
  });

  it("AdamW's decay is decoupled: with zero gradients it shrinks w by exactly (1 - lr wd) per step", () => {
    // Adam's L2 decay would be normalized by the adaptive denominator and move w by ~lr per step.
    expect(run(createAdamW, [0, 0, 0], 0.5)).toBeCloseTo(0.95 ** 3, 6);
    expect(run(createAdam, [0], 0.5)).toBeCloseTo(0.9, 5);
  });

  it('leaks no tensors over steps and frees its two moments on dispose', () => {
    const variables = variablesOf({ a: [1, 2], b: [[3]] });
    const optimizer = createAdamW({ variables, learningRate: 0.01, weightDecay: 1 });
    const loss = (): tf.Scalar =>
      tf.add(tf.sum(tf.square(variables.get('a')!)), tf.sum(variables.get('b')!)) as tf.Scalar;
    optimizer.minimize(loss);
    const afterFirst = tf.memory().numTensors;
    for (let step = 0; step < 20; step++) optimizer.minimize(loss);
    expect(tf.memory().numTensors).toBe(afterFirst);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(afterFirst - 4);
    disposeAll(variables);
  });

  it('throws OptionError for out-of-range betas', () => {
    const variables = variablesOf({ w: [0] });
    expect(() => createAdam({ variables, learningRate: 0.1, beta1: 1 })).toThrow(/beta1/);
    expect(() => createAdamW({ variables, learningRate: 0.1, beta2: -0.1 })).toThrow(/beta2/);
    expect(() => createAdam({ variables, learningRate: 0.1, epsilon: -1 })).toThrow(/epsilon/);
    disposeAll(variables);
  });
});
