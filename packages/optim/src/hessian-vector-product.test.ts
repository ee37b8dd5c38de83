import { createRandom, OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHessianOperator } from './hessian-vector-product.js';
import {
  createQuadratic,
  createSmallMlp,
  exactHessian,
  multiplyMatrix,
  type SmallMlp,
  useCpuBackend,
} from './test-support.js';
import { gaussianVector, norm } from './vector-math.js';

function relativeError(actual: Float64Array, expected: Float64Array): number {
  return norm(actual.map((value, index) => value - (expected[index] as number))) / norm(expected);
}

describe('createHessianOperator', () => {
  let mlp: SmallMlp;
  let exact: Float64Array;
  beforeAll(async () => {
    await useCpuBackend();
    mlp = createSmallMlp(1);
    exact = exactHessian(mlp.gradientAt, mlp.theta);
  });
  afterAll(() => mlp.dispose());

  it('matches the exact float64 Hessian of a tanh + softmax cross-entropy MLP (where grad-of-grad fails)', () => {
    const random = createRandom(5);
    for (const options of [{}, { order: 4 as const, relativeStep: 3e-2 }]) {
      const hessian = createHessianOperator({ variables: mlp.variables, loss: mlp.loss, ...options });
      expect(hessian.dimension).toBe(31);
      for (let trial = 0; trial < 4; trial++) {
        const direction = gaussianVector(hessian.dimension, random);
        // Measured: about 2e-5 (order 2) and 1e-5 (order 4).
        expect(relativeError(hessian.multiply(direction), multiplyMatrix(exact, direction))).toBeLessThan(
          1e-4,
        );
      }
      expect(hessian.gradientEvaluations).toBe(4 * (options.order ?? 2));
    }
  });

  it('is exact up to float32 rounding on a quadratic, whatever the direction norm', () => {
    const quadratic = createQuadratic([5, 3, 1, 0.5, -2, 0], 2);
    const hessian = createHessianOperator({ variables: quadratic.variables, loss: quadratic.loss });
    const random = createRandom(3);
    for (const scale of [1e-3, 1, 1e3]) {
      const direction = gaussianVector(6, random).map((value) => value * scale);
      expect(
        relativeError(hessian.multiply(direction), multiplyMatrix(quadratic.matrix, direction)),
      ).toBeLessThan(1e-4);
    }
    expect(Array.from(hessian.multiply(new Float64Array(6)))).toEqual([0, 0, 0, 0, 0, 0]);
    quadratic.dispose();
  });

  it('restores the variables exactly and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const values = Array.from(mlp.variables.get('w1')!.dataSync());
    const hessian = createHessianOperator({ variables: mlp.variables, loss: mlp.loss });
    hessian.multiply(gaussianVector(hessian.dimension, createRandom(1)));
    expect(Array.from(mlp.variables.get('w1')!.dataSync())).toEqual(values);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('throws OptionError for a bad step, order or vector length', () => {
    const base = { variables: mlp.variables, loss: mlp.loss };
    expect(() => createHessianOperator({ ...base, relativeStep: 0 })).toThrow(/relativeStep/);
    expect(() => createHessianOperator({ ...base, order: 3 as 2 })).toThrow(OptionError);
    expect(() => createHessianOperator(base).multiply(new Float64Array(3))).toThrow(/vector\.length/);
  });
});
