import { createRandom } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { eigenbasisOf, symmetricEigen } from './symmetric-eigen.js';

function randomSymmetric(size: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const matrix = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      const value = random.normal();
      matrix[i * size + j] = value;
      matrix[j * size + i] = value;
    }
  }
  return matrix;
}

/** max |A u_i - lambda_i u_i| and max |U U^T - I| over all entries. */
function residuals(matrix: Float64Array, size: number, values: Float64Array, vectors: Float64Array) {
  let eigenResidual = 0;
  let orthogonality = 0;
  for (let index = 0; index < size; index++) {
    for (let row = 0; row < size; row++) {
      let sum = 0;
      for (let k = 0; k < size; k++)
        sum += (matrix[row * size + k] as number) * (vectors[index * size + k] as number);
      const expected = (values[index] as number) * (vectors[index * size + row] as number);
      eigenResidual = Math.max(eigenResidual, Math.abs(sum - expected));
    }
    for (let other = 0; other < size; other++) {
      let dot = 0;
      for (let k = 0; k < size; k++)
        dot += (vectors[index * size + k] as number) * (vectors[other * size + k] as number);
      orthogonality = Math.max(orthogonality, Math.abs(dot - (index === other ? 1 : 0)));
    }
  }
  return { eigenResidual, orthogonality };
}

describe('symmetricEigen', () => {
  it('solves a 2x2 case worked by hand', () => {
    const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    expect(Math.abs(vectors[0] as number)).toBeCloseTo(Math.SQRT1_2, 14);
    expect((vectors[0] as number) * (vectors[1] as number)).toBeGreaterThan(0);
    expect((vectors[2] as number) * (vectors[3] as number)).toBeLessThan(0);
  });

  it('handles sizes 1 and 3 and an already diagonal matrix', () => {
    expect(Array.from(symmetricEigen(new Float64Array([-4]), 1).values)).toEqual([-4]);
    const diagonal = symmetricEigen(new Float64Array([1, 0, 0, 0, 5, 0, 0, 0, 3]), 3);
    expect(Array.from(diagonal.values)).toEqual([5, 3, 1]);
    expect(Math.abs(diagonal.vectors[1] as number)).toBe(1);
  });

  it('recovers a known spectrum with repeated and zero eigenvalues', () => {
    // A = Q diag(spectrum) Q^T with Q from a random symmetric matrix's eigenvectors.
    const size = 30;
    const basis = symmetricEigen(randomSymmetric(size, 3), size).vectors;
    const spectrum = Array.from({ length: size }, (_, index) =>
      index < 5 ? 7 : index < 10 ? 0 : index - 20,
    );
    const matrix = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        let sum = 0;
        for (let k = 0; k < size; k++)
          sum += (basis[k * size + i] as number) * (spectrum[k] as number) * (basis[k * size + j] as number);
        matrix[i * size + j] = sum;
      }
    }
    const { values } = symmetricEigen(matrix, size);
    const expected = [...spectrum].sort((a, b) => b - a);
    values.forEach((value, index) => {
      expect(Math.abs(value - (expected[index] as number))).toBeLessThan(1e-12);
    });
  });

  it('gives orthonormal eigenvectors with tiny residuals on a random 120x120 matrix', () => {
    const size = 120;
    const matrix = randomSymmetric(size, 11);
    const { values, vectors } = symmetricEigen(matrix, size);
    for (let index = 1; index < size; index++)
      expect(values[index]).toBeLessThanOrEqual(values[index - 1] as number);
    const { eigenResidual, orthogonality } = residuals(matrix, size, values, vectors);
    expect(eigenResidual).toBeLessThan(1e-12);
    expect(orthogonality).toBeLessThan(1e-13);
    let trace = 0;
    for (let i = 0; i < size; i++) trace += matrix[i * size + i] as number;
    expect(values.reduce((sum, value) => sum + value, 0)).toBeCloseTo(trace, 10);
  });

  it('rejects a matrix of the wrong length', () => {
    expect(() => symmetricEigen(new Float64Array(3), 2)).toThrow(RangeError);
  });
});

describe('eigenbasisOf', () => {
  it('maps a right-hand side to eigen-coordinates and back, and applies spectral functions', () => {
    const size = 40;
    const count = 3;
    const matrix = randomSymmetric(size, 21);
    const random = createRandom(22);
    const rightHandSide = Float64Array.from({ length: size * count }, () => random.normal());
    const { values, coordinates, toOriginal } = eigenbasisOf(matrix, size, rightHandSide, count);
    // Same spectrum as the full decomposition.
    const sorted = Array.from(values).sort((a, b) => b - a);
    const reference = symmetricEigen(matrix, size).values;
    sorted.forEach((value, index) => {
      expect(value).toBeCloseTo(reference[index] as number, 11);
    });
    // Round trip U (U^T B) = B.
    toOriginal(coordinates).forEach((value, index) => {
      expect(value).toBeCloseTo(rightHandSide[index] as number, 12);
    });
    // A B = U diag(lambda) U^T B, checked against a plain matrix product.
    const scaled = coordinates.map((value, index) => value * (values[Math.floor(index / count)] as number));
    const product = toOriginal(scaled);
    for (let row = 0; row < size; row++) {
      for (let column = 0; column < count; column++) {
        let expected = 0;
        for (let k = 0; k < size; k++)
          expected += (matrix[row * size + k] as number) * (rightHandSide[k * count + column] as number);
        expect(product[row * count + column]).toBeCloseTo(expected, 11);
      }
    }
  });
});
