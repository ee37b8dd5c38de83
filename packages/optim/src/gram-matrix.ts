/**
 * Gram matrices in float64 with plain loops.
 *
 * The Gram product dominates the cost of min-norm least squares on wide random-feature designs, so it
 * is written for the cache: the columns are walked in chunks that keep every row's slice in L2, and each
 * inner loop computes a 2x2 block of dot products so that one load feeds two multiply-adds.
 */

/** Columns per chunk: 256 float64 per row times ~1,000 rows stays near the 2 MiB L2 of a core. */
const COLUMN_CHUNK = 256;

/**
 * Adds `A[:, start:end] * A[:, start:end]^T` into the symmetric `gram` (rows x rows, row-major), where
 * `A` is a row-major matrix with `rows` rows and row stride `stride`. Only the lower triangle is
 * accumulated; call {@link mirrorLowerTriangle} once all updates are in: for the whole design,
 * `accumulateRowGram(design, rows, columns, 0, columns, gram)` then `mirrorLowerTriangle(gram, rows)`.
 */
export function accumulateRowGram(
  matrix: Float64Array,
  rows: number,
  stride: number,
  start: number,
  end: number,
  gram: Float64Array,
): void {
  for (let chunkStart = start; chunkStart < end; chunkStart += COLUMN_CHUNK) {
    const chunkEnd = Math.min(end, chunkStart + COLUMN_CHUNK);
    for (let i = 0; i < rows; i += 2) {
      const iPair = i + 1 < rows;
      const rowI0 = i * stride;
      const rowI1 = iPair ? rowI0 + stride : rowI0;
      for (let j = 0; j <= i; j += 2) {
        // The block is rows (i, i + 1) x (j, j + 1); on the diagonal block (j === i) it is symmetric.
        const jPair = j + 1 < rows;
        const rowJ0 = j * stride;
        const rowJ1 = jPair ? rowJ0 + stride : rowJ0;
        let s00 = 0;
        let s01 = 0;
        let s10 = 0;
        let s11 = 0;
        for (let column = chunkStart; column < chunkEnd; column++) {
          const a0 = matrix[rowI0 + column] as number;
          const a1 = matrix[rowI1 + column] as number;
          const b0 = matrix[rowJ0 + column] as number;
          const b1 = matrix[rowJ1 + column] as number;
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
        }
        const at = i * rows + j;
        gram[at] = (gram[at] as number) + s00;
        if (j < i) gram[at + 1] = (gram[at + 1] as number) + s01;
        if (iPair) {
          gram[at + rows] = (gram[at + rows] as number) + s10;
          if (jPair) gram[at + rows + 1] = (gram[at + rows + 1] as number) + s11;
        }
      }
    }
  }
}

/** Copies the lower triangle of a square row-major matrix onto its upper triangle. */
export function mirrorLowerTriangle(matrix: Float64Array, size: number): void {
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < i; j++) matrix[j * size + i] = matrix[i * size + j] as number;
  }
}

/**
 * The transpose of the block `A[:, start:end]` of a row-major matrix with row stride `stride`, as a new
 * row-major `(end - start) x rows` matrix.
 */
export function transposeColumns(
  matrix: Float64Array,
  rows: number,
  stride: number,
  start: number,
  end: number,
): Float64Array {
  const width = end - start;
  const transposed = new Float64Array(width * rows);
  for (let row = 0; row < rows; row++) {
    const offset = row * stride + start;
    for (let column = 0; column < width; column++) {
      transposed[column * rows + row] = matrix[offset + column] as number;
    }
  }
  return transposed;
}
