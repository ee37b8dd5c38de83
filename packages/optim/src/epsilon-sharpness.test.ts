import { createRandom } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { epsilonSharpness } from './epsilon-sharpness.js';
import { disposeAll, useCpuBackend, valuesOf, variablesOf } from './test-support.js';

beforeAll(useCpuBackend);

describe('epsilonSharpness', () => {
  it('finds the worst corner of the box for a separable quadratic (worked by hand)', () => {
    // f = sum a_i (w_i - c_i)^2 with c far outside the box: the maximum is at w_i + b_i sign(w_i - c_i).
    const variables = variablesOf({ w: [1, -2, 0.5] });
    const curvature = [1, 4, 0.25];
    const centre = [-1, 0, 3];
    const loss = (): tf.Scalar =>
      tf.tidy(
        () =>
          tf.sum(
            tf.mul(tf.square(tf.sub(variables.get('w')!, tf.tensor(centre))), tf.tensor(curvature)),
          ) as tf.Scalar,
      );
    const epsilon = 0.01;
    const w = [1, -2, 0.5];
    const base = w.reduce(
      (sum, value, i) => sum + (curvature[i] as number) * (value - (centre[i] as number)) ** 2,
      0,
    );
    const worst = w.reduce((sum, value, i) => {
      const bound = epsilon * (Math.abs(value) + 1);
      const moved = value + bound * Math.sign(value - (centre[i] as number));
      return sum + (curvature[i] as number) * (moved - (centre[i] as number)) ** 2;
    }, 0);
    const before = tf.memory().numTensors;
    const result = epsilonSharpness({ variables, loss, epsilon, iterations: 10, random: createRandom(1) });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.baseLoss).toBeCloseTo(base, 4);
    expect(result.maximumLoss).toBeCloseTo(worst, 4);
    expect(result.sharpness).toBeCloseTo((100 * (worst - base)) / (1 + base), 2);
    expect(valuesOf(variables, 'w')).toEqual(Array.from(Float32Array.from(w)));
    disposeAll(variables);
  });

  it('is larger at a sharper minimum', () => {
    const variables = variablesOf({ w: [0, 0] });
    const sharpnessFor = (scale: number) =>
      epsilonSharpness({
        variables,
        loss: () => tf.tidy(() => tf.mul(tf.sum(tf.square(variables.get('w')!)), scale) as tf.Scalar),
        epsilon: 0.1,
        random: createRandom(2),
      }).sharpness;
    // At w = 0 the box is |z_i| <= 0.1, so the maximum is scale * 0.02.
    expect(sharpnessFor(1)).toBeCloseTo(2, 3);
    expect(sharpnessFor(10)).toBeCloseTo(20, 2);
    expect(() => epsilonSharpness({ variables, loss: () => tf.scalar(0), epsilon: -1 })).toThrow(/epsilon/);
    disposeAll(variables);
  });
});
