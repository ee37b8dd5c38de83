import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm, computeGradients, disposeGradients, globalNorm } from './gradients.js';
import { disposeAll, gradientsOf, useCpuBackend, variablesOf } from './test-support.js';

beforeAll(useCpuBackend);

describe('computeGradients', () => {
  it('returns the loss and analytic gradients keyed by variable name, without leaking', () => {
    const variables = variablesOf({ a: [1, 2], b: [3] });
    variables.set('frozen', tf.variable(tf.tensor([5]), false));
    const before = tf.memory().numTensors;
    // loss = sum(a^2) + 3 b  ->  grad a = 2a, grad b = 3
    const { loss, gradients } = computeGradients(variables, () =>
      tf.add(tf.sum(tf.square(variables.get('a')!)), tf.mul(tf.sum(variables.get('b')!), 3)),
    );
    expect(loss).toBeCloseTo(14, 5);
    expect(Array.from(gradients.get('a')!.dataSync())).toEqual([2, 4]);
    expect(Array.from(gradients.get('b')!.dataSync())).toEqual([3]);
    expect(gradients.has('frozen')).toBe(false);
    disposeGradients(gradients);
    expect(tf.memory().numTensors).toBe(before);
    disposeAll(variables);
  });

  it('gives a zero gradient to a variable the loss does not use', () => {
    const variables = variablesOf({ used: [1], unused: [4, 5] });
    const { gradients } = computeGradients(variables, () => tf.sum(variables.get('used')!));
    expect(Array.from(gradients.get('unused')!.dataSync())).toEqual([0, 0]);
    disposeGradients(gradients);
    disposeAll(variables);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all gradients jointly when the global norm is too large, and not otherwise', () => {
    const gradients = gradientsOf({ a: [3], b: [0, 4] }); // global norm 5
    expect(globalNorm(gradients)).toBeCloseTo(5, 6);
    const before = tf.memory().numTensors;
    const clipped = clipByGlobalNorm(gradients, 1);
    expect(clipped.norm).toBeCloseTo(5, 6);
    expect(Array.from(clipped.gradients.get('a')!.dataSync())[0]).toBeCloseTo(0.6, 6);
    expect(Array.from(clipped.gradients.get('b')!.dataSync())[1]).toBeCloseTo(0.8, 6);
    disposeGradients(clipped.gradients);
    const untouched = clipByGlobalNorm(gradients, 10);
    expect(Array.from(untouched.gradients.get('b')!.dataSync())).toEqual([0, 4]);
    disposeGradients(untouched.gradients);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => clipByGlobalNorm(gradients, -1)).toThrow(OptionError);
    disposeGradients(gradients);
  });
});
