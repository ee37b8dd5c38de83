import { createRandom } from '@emerge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHessianOperator } from './hessian-vector-product.js';
import { symmetricEigen } from './symmetric-eigen.js';
import {
  createSmallMlp,
  exactHessian,
  matrixOperator,
  matrixWithSpectrum,
  type SmallMlp,
  useCpuBackend,
} from './test-support.js';
import { topEigenvalues } from './top-eigenvalues.js';
import { dot } from './vector-math.js';

const spectrum = [10, 7, 4, 2, 1.5, 1, 0.5, 0.2, 0.1, 0, 0, -0.3, -1];

describe('topEigenvalues', () => {
  it('finds the top 3 eigenvalues of a known spectrum by power iteration with deflation', () => {
    const operator = matrixOperator(matrixWithSpectrum(spectrum, 1), spectrum.length);
    const { values, vectors, products } = topEigenvalues(operator, {
      count: 3,
      tolerance: 1e-10,
      iterations: 500,
      random: createRandom(1),
    });
    expect(values[0]).toBeCloseTo(10, 6);
    expect(values[1]).toBeCloseTo(7, 6);
    expect(values[2]).toBeCloseTo(4, 6);
    expect(Math.abs(dot(vectors[0]!, vectors[1]!))).toBeLessThan(1e-8);
    expect(products).toBe(operator.products);
  });

  it('finds them by Lanczos with far fewer products', () => {
    const operator = matrixOperator(matrixWithSpectrum(spectrum, 2), spectrum.length);
    const { values, vectors, products } = topEigenvalues(operator, {
      count: 3,
      method: 'lanczos',
      iterations: 12,
      random: createRandom(2),
    });
    expect(values.map((value) => Number(value.toFixed(8)))).toEqual([10, 7, 4]);
    expect(products).toBe(12);
    // Ritz vectors are eigenvectors: A u = 10 u.
    const image = operator.multiply(vectors[0]!);
    image.forEach((value, index) => {
      expect(value).toBeCloseTo(10 * (vectors[0]![index] as number), 6);
    });
  });

  describe('on the Hessian of a tanh MLP with softmax cross-entropy', () => {
    let mlp: SmallMlp;
    let exactValues: Float64Array;
    beforeAll(async () => {
      await useCpuBackend();
      mlp = createSmallMlp(3, { inputs: 3, hidden: 4, classes: 3, examples: 16 }, 1.5);
      exactValues = symmetricEigen(exactHessian(mlp.gradientAt, mlp.theta), 31).values;
    });
    afterAll(() => mlp.dispose());

    it('agrees with the exact spectrum: 3e-4 relative by default, 5e-5 with fourth-order differences', () => {
      const hessian = createHessianOperator({ variables: mlp.variables, loss: mlp.loss });
      const byMagnitude = Array.from(exactValues).sort((a, b) => Math.abs(b) - Math.abs(a));
      const relative = (values: number[], truth: ArrayLike<number>) =>
        values.map((value, index) => Math.abs(value / (truth[index] as number) - 1));
      // Measured: power 1.5e-4, 0.9e-4; Lanczos 1.0e-4, 0.6e-4, 0.6e-4 (the O(eps^2) bias of the differences).
      const power = topEigenvalues(hessian, {
        count: 2,
        tolerance: 1e-6,
        iterations: 200,
        random: createRandom(4),
      });
      for (const error of relative(power.values, byMagnitude)) expect(error).toBeLessThan(3e-4);
      const krylov = topEigenvalues(hessian, {
        count: 3,
        method: 'lanczos',
        iterations: 25,
        random: createRandom(5),
      });
      for (const error of relative(krylov.values, exactValues)) expect(error).toBeLessThan(3e-4);
      // Measured: 3e-5, 1.2e-5, 0.6e-5.
      const fine = createHessianOperator({
        variables: mlp.variables,
        loss: mlp.loss,
        order: 4,
        relativeStep: 3e-2,
      });
      const fineKrylov = topEigenvalues(fine, {
        count: 3,
        method: 'lanczos',
        iterations: 25,
        random: createRandom(5),
      });
      for (const error of relative(fineKrylov.values, exactValues)) expect(error).toBeLessThan(5e-5);
    });
  });

  it('estimates the top Hessian eigenvalue of ReLU MLPs within 2% (kinks make random-direction products rough)', async () => {
    await useCpuBackend();
    // Measured on these three networks: 1.2%, 0.7%, 0.8% with the default step; 0.2%, 0.02%, 0.04% with
    // relativeStep 1e-2. Products along random directions are off by O(1) (pre-activations crossing zero
    // within the step), so only the dominant curvature is trustworthy for ReLU networks.
    for (const seed of [1, 2, 3]) {
      const relu = createSmallMlp(seed, { inputs: 8, hidden: 32, classes: 4, examples: 200 }, 0.8, 'relu');
      const exactTop = symmetricEigen(exactHessian(relu.gradientAt, relu.theta, 1e-8), relu.theta.length)
        .values[0];
      const hessian = createHessianOperator({ variables: relu.variables, loss: relu.loss });
      const [estimate] = topEigenvalues(hessian, {
        method: 'lanczos',
        iterations: 30,
        random: createRandom(1),
      }).values;
      expect(Math.abs((estimate as number) / (exactTop as number) - 1)).toBeLessThan(0.02);
      relu.dispose();
    }
  });

  it('throws OptionError for bad counts', () => {
    const operator = matrixOperator(matrixWithSpectrum([1, 2], 1), 2);
    expect(() => topEigenvalues(operator, { count: 3 })).toThrow(/count/);
    expect(() => topEigenvalues(operator, { tolerance: -1 })).toThrow(/tolerance/);
  });
});
