import { createRandom } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { accumulateRowGram, mirrorLowerTriangle, transposeColumns } from './gram-matrix.js';

describe('accumulateRowGram', () => {
  it.each([
    [1, 3],
    [5, 7],
    [8, 300],
    [9, 600],
  ])('matches naive dot products for %i rows x %i columns, column ranges included', (rows, columns) => {
    const random = createRandom(rows * 1000 + columns);
    const matrix = Float64Array.from({ length: rows * columns }, () => random.normal());
    const split = Math.floor(columns / 3);
    const gram = new Float64Array(rows * rows);
    // Two updates over [1, split) and [split, columns): column 0 is left out on purpose.
    accumulateRowGram(matrix, rows, columns, 1, split, gram);
    accumulateRowGram(matrix, rows, columns, split, columns, gram);
    mirrorLowerTriangle(gram, rows);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < rows; j++) {
        let expected = 0;
        for (let k = 1; k < columns; k++)
          expected += (matrix[i * columns + k] as number) * (matrix[j * columns + k] as number);
        expect(gram[i * rows + j]).toBeCloseTo(expected, 10);
      }
    }
  });
});

describe('transposeColumns', () => {
  it('transposes a column block', () => {
    const matrix = new Float64Array([1, 2, 3, 4, 5, 6]); // 2 x 3
    expect(Array.from(transposeColumns(matrix, 2, 3, 1, 3))).toEqual([2, 5, 3, 6]);
  });
});
