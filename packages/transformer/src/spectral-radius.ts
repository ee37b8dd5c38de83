import { OptionError } from '@emerge/core';

/**
 * The spectral radius (largest eigenvalue modulus) of a real square matrix, by Gelfand's formula
 * ρ(A) = lim ‖A^k‖^(1/k) with k = 2^squarings: the matrix is squared repeatedly in float64 and
 * renormalized each time, accumulating the log of the scale. Unlike power iteration this converges
 * when the top eigenvalues are a complex pair, as they are for most random recurrent matrices.
 * @param values row-major entries, length size².
 * @param size the matrix order.
 * @param squarings number of squarings (k = 2^squarings). Default: 32 (the norm in Gelfand's formula biases the estimate by a factor near c^(1/k) for a matrix-dependent c, negligible at k = 2^32).
 * @example
 * ```ts
 * import { spectralRadius } from '@emerge/transformer';
 *
 * spectralRadius([0, -2, 2, 0], 2); // => 2 (eigenvalues ±2i)
 * console.assert(Math.abs(spectralRadius([0, -2, 2, 0], 2) - 2) < 1e-9);
 * ```
 */
export function spectralRadius(values: ArrayLike<number>, size: number, squarings = 32): number {
  if (!Number.isInteger(size) || size < 1 || values.length !== size * size) {
    throw new OptionError('size', `an integer whose square is the number of values (${values.length})`, size);
  }
  let matrix: Float64Array = Float64Array.from(values);
  let logScale = normalizeInPlace(matrix);
  if (logScale === Number.NEGATIVE_INFINITY) return 0;
  let power = 1;
  for (let round = 0; round < squarings; round++) {
    matrix = multiply(matrix, matrix, size);
    const logNorm = normalizeInPlace(matrix);
    if (logNorm === Number.NEGATIVE_INFINITY) return 0; // nilpotent
    logScale = 2 * logScale + logNorm;
    power *= 2;
  }
  return Math.exp(logScale / power);
}

/** Divides by the Frobenius norm in place and returns the log of that norm. */
function normalizeInPlace(matrix: Float64Array): number {
  let sumOfSquares = 0;
  for (const value of matrix) sumOfSquares += value * value;
  if (sumOfSquares === 0) return Number.NEGATIVE_INFINITY;
  const norm = Math.sqrt(sumOfSquares);
  for (let index = 0; index < matrix.length; index++) matrix[index] = (matrix[index] as number) / norm;
  return Math.log(norm);
}

function multiply(left: Float64Array, right: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let inner = 0; inner < size; inner++) {
      const factor = left[row * size + inner] as number;
      if (factor === 0) continue;
      for (let column = 0; column < size; column++) {
        product[row * size + column] =
          (product[row * size + column] as number) + factor * (right[inner * size + column] as number);
      }
    }
  }
  return product;
}
