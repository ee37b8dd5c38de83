import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSam } from './sam.js';
import { createSgd } from './sgd.js';
import { disposeAll, useCpuBackend, valuesOf, variablesOf } from './test-support.js';

beforeAll(useCpuBackend);

describe('createSam', () => {
  it('applies the gradient taken at w + radius g / |g| at w (quadratic worked by hand)', () => {
    // L = (a w0^2 + b w1^2) / 2 with a = 4, b = 1, so g(w) = (4 w0, w1).
    const variables = variablesOf({ w: [1, 2] });
    const loss = (): tf.Scalar => {
      const w = variables.get('w')!;
      return tf.mul(tf.sum(tf.mul(tf.square(w), tf.tensor([4, 1]))), 0.5) as tf.Scalar;
    };
    const sam = createSam({ base: createSgd({ variables, learningRate: 0.1 }), radius: 0.5 });
    const value = sam.minimize(loss);
    // g = (4, 2), |g| = sqrt(20); perturbed w = (1, 2) + 0.5 (4, 2) / sqrt(20).
    const norm = Math.sqrt(20);
    const perturbed = [1 + (0.5 * 4) / norm, 2 + (0.5 * 2) / norm];
    const sharpGradient = [4 * (perturbed[0] as number), perturbed[1] as number];
    const [w0, w1] = valuesOf(variables, 'w');
    expect(value).toBeCloseTo(4, 5); // the loss at the unperturbed point
    expect(w0).toBeCloseTo(1 - 0.1 * (sharpGradient[0] as number), 5);
    expect(w1).toBeCloseTo(2 - 0.1 * (sharpGradient[1] as number), 5);
    expect(sam.iterations).toBe(1);
    expect(sam.currentLearningRate()).toBe(0.1);
    sam.dispose();
    disposeAll(variables);
  });

  it('leaks no tensors across steps', () => {
    const variables = variablesOf({ w: [1, -1], b: [0.5] });
    const loss = (): tf.Scalar =>
      tf.add(tf.sum(tf.square(variables.get('w')!)), tf.sum(tf.square(variables.get('b')!))) as tf.Scalar;
    const sam = createSam({ base: createSgd({ variables, learningRate: 0.1, momentum: 0.9 }) });
    sam.minimize(loss);
    const afterFirst = tf.memory().numTensors;
    for (let step = 0; step < 10; step++) sam.minimize(loss);
    expect(tf.memory().numTensors).toBe(afterFirst);
    sam.dispose();
    disposeAll(variables);
  });

  it('rejects a negative radius', () => {
    const variables = variablesOf({ w: [0] });
    expect(() => createSam({ base: createSgd({ variables, learningRate: 1 }), radius: -1 })).toThrow(
      /radius/,
    );
    disposeAll(variables);
  });
});
