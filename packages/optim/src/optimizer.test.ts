import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGradientOptimizer } from './optimizer.js';
import { disposeAll, gradientsOf, useCpuBackend, valuesOf, variablesOf } from './test-support.js';

beforeAll(useCpuBackend);

describe('createGradientOptimizer', () => {
  it('runs a custom rule with slots, skips frozen variables and clips the global norm', () => {
    const variables = variablesOf({ w: [1, 1] });
    variables.set('frozen', tf.variable(tf.tensor([7]), false));
    // "Sum of past gradients" descent: s += g; w -= lr s.
    const optimizer = createGradientOptimizer(
      { variables, learningRate: 1, gradientClipNorm: 1 },
      ({ variable, gradient, learningRate, slot }) => {
        const sum = slot('sum');
        sum.assign(tf.add(sum, gradient));
        return tf.sub(variable, tf.mul(sum, learningRate));
      },
    );
    const gradients = gradientsOf({ w: [3, 4] }); // clipped to [0.6, 0.8]
    optimizer.applyGradients(gradients);
    optimizer.applyGradients(gradients);
    const [w0, w1] = valuesOf(variables, 'w');
    expect(w0).toBeCloseTo(1 - 0.6 - 1.2, 5);
    expect(w1).toBeCloseTo(1 - 0.8 - 1.6, 5);
    expect(valuesOf(variables, 'frozen')).toEqual([7]);
    expect(Array.from(gradients.get('w')!.dataSync())).toEqual([3, 4]);
    optimizer.dispose();
    disposeAll(gradients);
    disposeAll(variables);
  });
});
