import { createRandom } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { lanczos } from './lanczos.js';
import { matrixOperator, matrixWithSpectrum } from './test-support.js';

describe('lanczos', () => {
  const spectrum = [9, 4, 4, 1, 0.5, -2];

  it('reproduces the whole spectrum at full size, with weights summing to 1', () => {
    // 6 steps on a 6x6 matrix with a double eigenvalue: the Krylov space has dimension 5, so it stops early.
    const operator = matrixOperator(matrixWithSpectrum(spectrum, 4), 6);
    const result = lanczos(operator, { steps: 6, random: createRandom(1) });
    expect(result.alpha.length).toBe(5);
    expect(Array.from(result.ritzValues).map((value) => Number(value.toFixed(9)))).toEqual([
      9, 4, 1, 0.5, -2,
    ]);
    expect(result.ritzWeights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 12);
    expect(result.beta.length).toBe(result.alpha.length - 1);
  });

  it('gives quadrature weights equal to the squared components of the start vector on the eigenvectors', () => {
    // For A = diag(spectrum) with distinct entries the weight of eigenvalue i is start_i^2 / |start|^2.
    const distinct = [5, 3, 2, 1];
    const matrix = new Float64Array(16);
    distinct.forEach((value, index) => {
      matrix[index * 4 + index] = value;
    });
    const start = new Float64Array([1, 2, 3, 4]);
    const { ritzValues, ritzWeights } = lanczos(matrixOperator(matrix, 4), { steps: 4, start });
    expect(Array.from(ritzValues).map((value) => Number(value.toFixed(10)))).toEqual(distinct);
    [1, 4, 9, 16].forEach((square, index) => {
      expect(ritzWeights[index]).toBeCloseTo(square / 30, 10);
    });
  });

  it('runs without re-orthogonalization and without storing Ritz vectors', () => {
    const operator = matrixOperator(matrixWithSpectrum([3, 2, 1, 0], 1), 4);
    const result = lanczos(operator, { steps: 3, reorthogonalize: false, random: createRandom(2) });
    expect(result.ritzVectors).toBeUndefined();
    expect(result.ritzValues[0]).toBeLessThanOrEqual(3 + 1e-12);
    expect(() => lanczos(operator, { steps: 5 })).toThrow(/steps/);
    expect(() => lanczos(operator, { steps: 2, start: new Float64Array(4) })).toThrow(/zero/);
  });
});
