import { createRandom, OptionError } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { minNormLeastSquares, minNormLeastSquaresPrefixes } from './min-norm-least-squares.js';

function randomMatrix(rows: number, columns: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: rows * columns }, () => random.normal());
}

/** Solves the square system A x = b by Gaussian elimination with partial pivoting (the independent truth). */
function solveSquare(matrix: number[][], rightHandSide: number[]): number[] {
  const size = rightHandSide.length;
  const a = matrix.map((row, index) => [...row, rightHandSide[index] as number]);
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    }
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    for (let row = column + 1; row < size; row++) {
      const factor = a[row]![column]! / a[column]![column]!;
      for (let k = column; k <= size; k++) a[row]![k]! -= factor * a[column]![k]!;
    }
  }
  const solution = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    let sum = a[row]![size]!;
    for (let k = row + 1; k < size; k++) sum -= a[row]![k]! * solution[k]!;
    solution[row] = sum / a[row]![row]!;
  }
  return solution;
}

function entry(matrix: Float64Array, columns: number, row: number, column: number): number {
  return matrix[row * columns + column] as number;
}

describe('minNormLeastSquares', () => {
  it('fits a line through three points by least squares (worked by hand)', () => {
    // Points (0, 1), (1, 2), (2, 4): normal equations give slope 1.5, intercept 5/6.
    const design = new Float64Array([1, 0, 1, 1, 1, 2]);
    const { weights, rank, singularValues } = minNormLeastSquares(
      design,
      3,
      2,
      new Float64Array([1, 2, 4]),
      1,
    );
    expect(weights[0]).toBeCloseTo(5 / 6, 13);
    expect(weights[1]).toBeCloseTo(1.5, 13);
    expect(rank).toBe(2);
    // Singular values squared are the eigenvalues of [[3, 3], [3, 5]]: 4 +- sqrt(10).
    expect((singularValues[0] as number) ** 2).toBeCloseTo(4 + Math.sqrt(10), 12);
    expect((singularValues[1] as number) ** 2).toBeCloseTo(4 - Math.sqrt(10), 12);
  });

  it('interpolates with minimum norm when there are more columns than rows (worked by hand)', () => {
    // x1 = 1 and x2 + x3 = 2: the smallest-norm solution is (1, 1, 1).
    const design = new Float64Array([1, 0, 0, 0, 1, 1]);
    const { weights, rank, conditionNumber } = minNormLeastSquares(design, 2, 3, new Float64Array([1, 2]), 1);
    expect(Array.from(weights).map((value) => Number(value.toFixed(12)))).toEqual([1, 1, 1]);
    expect(rank).toBe(2);
    expect(conditionNumber).toBeCloseTo(Math.SQRT2, 12);
  });

  it('matches the normal equations in the over-determined regime for several right-hand sides', () => {
    const rows = 40;
    const columns = 7;
    const design = randomMatrix(rows, columns, 1);
    const targets = randomMatrix(rows, 3, 2);
    const { weights } = minNormLeastSquares(design, rows, columns, targets, 3);
    const normal = Array.from({ length: columns }, (_, i) =>
      Array.from({ length: columns }, (_, j) => {
        let sum = 0;
        for (let row = 0; row < rows; row++)
          sum += entry(design, columns, row, i) * entry(design, columns, row, j);
        return sum;
      }),
    );
    for (let target = 0; target < 3; target++) {
      const projected = Array.from({ length: columns }, (_, i) => {
        let sum = 0;
        for (let row = 0; row < rows; row++)
          sum += entry(design, columns, row, i) * entry(targets, 3, row, target);
        return sum;
      });
      const expected = solveSquare(normal, projected);
      expected.forEach((value, i) => {
        expect(entry(weights, 3, i, target)).toBeCloseTo(value, 11);
      });
    }
  });

  it('interpolates and lies in the row space (orthogonal to the null space) when under-determined', () => {
    const rows = 15;
    const columns = 50;
    const design = randomMatrix(rows, columns, 3);
    const targets = randomMatrix(rows, 1, 4);
    const { weights } = minNormLeastSquares(design, rows, columns, targets, 1);
    // Interpolation: X w = y.
    for (let row = 0; row < rows; row++) {
      let prediction = 0;
      for (let column = 0; column < columns; column++)
        prediction += entry(design, columns, row, column) * (weights[column] as number);
      expect(prediction).toBeCloseTo(targets[row] as number, 10);
    }
    // Row space: w = X^T c with c solving (X X^T) c = y; compare entrywise.
    const gram = Array.from({ length: rows }, (_, i) =>
      Array.from({ length: rows }, (_, j) => {
        let sum = 0;
        for (let column = 0; column < columns; column++)
          sum += entry(design, columns, i, column) * entry(design, columns, j, column);
        return sum;
      }),
    );
    const coefficients = solveSquare(gram, Array.from(targets));
    for (let column = 0; column < columns; column++) {
      let expected = 0;
      for (let row = 0; row < rows; row++)
        expected += entry(design, columns, row, column) * (coefficients[row] as number);
      expect(weights[column]).toBeCloseTo(expected, 10);
    }
  });

  it.each([
    [12, 12],
    [9, 20],
    [20, 9],
  ])('satisfies the Penrose identities X X+ X = X and (X+ X)^T = X+ X at %i x %i', (rows, columns) => {
    const design = randomMatrix(rows, columns, rows * columns);
    const identity = new Float64Array(rows * rows);
    for (let i = 0; i < rows; i++) identity[i * rows + i] = 1;
    // Solving against the identity gives the pseudo-inverse X+ (columns x rows).
    const { weights: pseudoInverse } = minNormLeastSquares(design, rows, columns, identity, rows);
    const projector = new Float64Array(columns * columns); // X+ X
    for (let i = 0; i < columns; i++) {
      for (let j = 0; j < columns; j++) {
        let sum = 0;
        for (let k = 0; k < rows; k++) sum += entry(pseudoInverse, rows, i, k) * entry(design, columns, k, j);
        projector[i * columns + j] = sum;
      }
    }
    for (let i = 0; i < columns; i++) {
      for (let j = 0; j < columns; j++)
        expect(projector[i * columns + j]).toBeCloseTo(projector[j * columns + i] as number, 9);
    }
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        let sum = 0;
        for (let k = 0; k < columns; k++)
          sum += entry(design, columns, row, k) * (projector[k * columns + column] as number);
        expect(sum).toBeCloseTo(entry(design, columns, row, column), 9);
      }
    }
  });

  it('handles rank-deficient designs: duplicated columns share the weight, the rank drops', () => {
    // Columns 0 and 1 are equal, so only their sum is determined; min norm splits it evenly.
    const base = randomMatrix(10, 2, 5);
    const design = new Float64Array(10 * 3);
    for (let row = 0; row < 10; row++) {
      design[row * 3] = base[row * 2] as number;
      design[row * 3 + 1] = base[row * 2] as number;
      design[row * 3 + 2] = base[row * 2 + 1] as number;
    }
    const targets = new Float64Array(10);
    for (let row = 0; row < 10; row++)
      targets[row] = 4 * (base[row * 2] as number) - (base[row * 2 + 1] as number);
    const { weights, rank, conditionNumber } = minNormLeastSquares(design, 10, 3, targets, 1);
    expect(rank).toBe(2);
    expect(Number.isFinite(conditionNumber)).toBe(true);
    expect(weights[0]).toBeCloseTo(2, 10);
    expect(weights[1]).toBeCloseTo(2, 10);
    expect(weights[2]).toBeCloseTo(-1, 10);
    // A duplicated row in the under-determined regime: rank 1 of 2 rows, consistent targets.
    const wide = minNormLeastSquares(new Float64Array([1, 1, 1, 1]), 2, 2, new Float64Array([2, 2]), 1);
    expect(wide.rank).toBe(1);
    expect(Array.from(wide.weights).map((value) => Number(value.toFixed(12)))).toEqual([1, 1]);
    // An all-zero design has rank 0 and zero weights.
    const zero = minNormLeastSquares(new Float64Array(6), 2, 3, new Float64Array([1, 2]), 1);
    expect(zero.rank).toBe(0);
    expect(Array.from(zero.weights)).toEqual([0, 0, 0]);
  });

  it('stays accurate at rows === columns for a square Gaussian design', () => {
    const size = 150;
    const design = randomMatrix(size, size, 6);
    const targets = randomMatrix(size, 1, 7);
    const { weights, rank, conditionNumber } = minNormLeastSquares(design, size, size, targets, 1);
    expect(rank).toBe(size);
    expect(conditionNumber).toBeGreaterThan(10);
    const expected = solveSquare(
      Array.from({ length: size }, (_, row) => Array.from(design.subarray(row * size, (row + 1) * size))),
      Array.from(targets),
    );
    let errorNorm = 0;
    let norm = 0;
    expected.forEach((value, index) => {
      errorNorm += (value - (weights[index] as number)) ** 2;
      norm += value ** 2;
    });
    // Through the Gram matrix the relative error is about eps * cond^2.
    expect(Math.sqrt(errorNorm / norm)).toBeLessThan(1e-16 * conditionNumber ** 2 * 100);
    expect(Math.sqrt(errorNorm / norm)).toBeLessThan(1e-7);
  });

  it('applies a ridge penalty the same way in both regimes', () => {
    for (const [rows, columns] of [
      [20, 6],
      [6, 20],
    ] as const) {
      const design = randomMatrix(rows, columns, rows + 10 * columns);
      const targets = randomMatrix(rows, 1, 9);
      const ridge = 0.7;
      const { weights } = minNormLeastSquares(design, rows, columns, targets, 1, { ridge });
      // (X^T X + ridge I) w = X^T y solved directly.
      const system = Array.from({ length: columns }, (_, i) =>
        Array.from({ length: columns }, (_, j) => {
          let sum = i === j ? ridge : 0;
          for (let row = 0; row < rows; row++)
            sum += entry(design, columns, row, i) * entry(design, columns, row, j);
          return sum;
        }),
      );
      const projected = Array.from({ length: columns }, (_, i) => {
        let sum = 0;
        for (let row = 0; row < rows; row++) sum += entry(design, columns, row, i) * (targets[row] as number);
        return sum;
      });
      solveSquare(system, projected).forEach((value, i) => {
        expect(weights[i]).toBeCloseTo(value, 11);
      });
    }
  });

  it('cuts off singular values below sqrt(relativeTolerance) of the largest', () => {
    // Singular values 1 and 1e-3 (squared 1e-6): a tolerance of 1e-5 drops the second.
    const design = new Float64Array([1, 0, 0, 1e-3]);
    const kept = minNormLeastSquares(design, 2, 2, new Float64Array([1, 1]), 1);
    expect(kept.rank).toBe(2);
    expect(kept.weights[1]).toBeCloseTo(1000, 8);
    const cut = minNormLeastSquares(design, 2, 2, new Float64Array([1, 1]), 1, { relativeTolerance: 1e-5 });
    expect(cut.rank).toBe(1);
    expect(cut.weights[1]).toBe(0);
    expect(cut.conditionNumber).toBe(1);
  });

  it('throws OptionError for inconsistent shapes and bad options', () => {
    expect(() => minNormLeastSquares(new Float64Array(5), 2, 3, new Float64Array(2), 1)).toThrow(
      /design\.length/,
    );
    expect(() => minNormLeastSquares(new Float64Array(6), 2, 3, new Float64Array(3), 1)).toThrow(
      /targets\.length/,
    );
    expect(() =>
      minNormLeastSquares(new Float64Array(6), 2, 3, new Float64Array(2), 1, { ridge: -1 }),
    ).toThrow(OptionError);
    expect(() =>
      minNormLeastSquares(new Float64Array(6), 2, 3, new Float64Array(2), 1, { relativeTolerance: 2 }),
    ).toThrow(/relativeTolerance/);
  });
});

describe('minNormLeastSquaresPrefixes', () => {
  it('equals separate solves on the column prefixes, across the interpolation threshold', () => {
    const rows = 20;
    const columns = 70;
    const design = randomMatrix(rows, columns, 10);
    const targets = randomMatrix(rows, 2, 11);
    const prefixes = [3, 19, 20, 21, 45, 70];
    const results = minNormLeastSquaresPrefixes(design, rows, columns, targets, 2, prefixes);
    prefixes.forEach((prefix, index) => {
      const block = new Float64Array(rows * prefix);
      for (let row = 0; row < rows; row++)
        block.set(design.subarray(row * columns, row * columns + prefix), row * prefix);
      const single = minNormLeastSquares(block, rows, prefix, targets, 2);
      const result = results[index]!;
      expect(result.rank).toBe(single.rank);
      expect(result.weights.length).toBe(prefix * 2);
      result.weights.forEach((value, i) => {
        expect(value).toBeCloseTo(single.weights[i] as number, 8);
      });
    });
  });

  it('rejects prefixes that are not ascending or exceed the columns', () => {
    const design = new Float64Array(6);
    const targets = new Float64Array(2);
    expect(() => minNormLeastSquaresPrefixes(design, 2, 3, targets, 1, [2, 1])).toThrow(/prefixColumns\[1\]/);
    expect(() => minNormLeastSquaresPrefixes(design, 2, 3, targets, 1, [4])).toThrow(OptionError);
  });
});
