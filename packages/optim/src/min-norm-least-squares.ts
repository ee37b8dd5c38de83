/**
 * Minimum-norm least squares in float64, the solver behind random-features double descent.
 *
 * The pseudo-inverse solution `W = X^+ Y` is computed from the eigendecomposition of the smaller Gram
 * matrix: `X^T X` (columns x columns) when there are more rows than columns (ordinary least squares),
 * `X X^T` (rows x rows) otherwise (minimum-norm interpolation, `W = X^T (X X^T)^+ Y`). Eigenvalues below
 * a relative cut-off are dropped, which is what makes the solution well defined and stable at and near
 * `rows === columns`, where the design is square and its smallest singular values approach zero.
 */
import { OptionError, requireIntegerInRange, requireNumberInRange } from '@emerge/core';
import { accumulateRowGram, mirrorLowerTriangle, transposeColumns } from './gram-matrix.js';
import { eigenbasisOf } from './symmetric-eigen.js';

/** Options of {@link minNormLeastSquares}. */
export interface MinNormLeastSquaresOptions {
  /**
   * Ridge penalty `lambda` added to every Gram eigenvalue (the solution of
   * `min |X W - Y|^2 + lambda |W|^2` restricted to the kept directions: eigenvalues below the cut-off are
   * dropped even with a ridge, since their eigenvectors are rounding noise). Default: `0`, the pseudo-inverse
   * solution.
   */
  ridge?: number;
  /**
   * Eigenvalues of the Gram matrix below `relativeTolerance * largestEigenvalue` are treated as zero, so
   * singular values below `sqrt(relativeTolerance) * largestSingularValue` are cut off. Gram
   * eigenvalues are only accurate to about `size * eps * largestEigenvalue`, which is why the cut-off
   * lives on the squared scale. Default: `max(rows, columns) * Number.EPSILON`.
   */
  relativeTolerance?: number;
}

/** The result of {@link minNormLeastSquares}. */
export interface MinNormLeastSquaresResult {
  /** Weights, row-major `columns x targetCount`. */
  weights: Float64Array;
  /** Number of singular values kept (the numerical rank). */
  rank: number;
  /** Largest kept singular value over the smallest kept one (1 for rank <= 1, Infinity for rank 0). */
  conditionNumber: number;
  /** All `min(rows, columns)` singular values of the design, descending (from the Gram eigenvalues). */
  singularValues: Float64Array;
}

/**
 * The pseudo-inverse (minimum-norm least-squares) solution `W = X^+ Y` for a row-major design `X`
 * (`rows x columns`) and row-major targets `Y` (`rows x targetCount`), in float64.
 *
 * With more rows than columns it is the least-squares fit; with more columns than rows it is the
 * interpolating solution of smallest norm. Cost: `min(r, c)^2 max(r, c) / 2` multiply-adds for the
 * Gram matrix, `2 min(r, c)^3 / 3` for its tridiagonalization, and `O(min(r, c)^2 targetCount)` for the
 * rest (eigenvectors are never formed: the transforms are applied to the targets).
 *
 * @example
 * ```ts
 * import { minNormLeastSquares } from '@emerge/optim';
 *
 * // Two points, three features: the minimum-norm interpolant.
 * const design = new Float64Array([1, 0, 0, 0, 1, 1]);
 * const { weights, rank } = minNormLeastSquares(design, 2, 3, new Float64Array([1, 2]), 1);
 * // => weights [1, 1, 1], rank 2
 * console.assert(rank === 2 && weights.every((weight) => Math.abs(weight - 1) < 1e-12));
 * ```
 */
export function minNormLeastSquares(
  design: Float64Array,
  rows: number,
  columns: number,
  targets: Float64Array,
  targetCount: number,
  options: MinNormLeastSquaresOptions = {},
): MinNormLeastSquaresResult {
  validateShapes(design, rows, columns, targets, targetCount);
  return solvePrefix(design, rows, columns, columns, targets, targetCount, options, undefined);
}

/**
 * Solves min-norm least squares for several nested column prefixes of one design: for each `N` in
 * `prefixColumns` (ascending), the fit that uses only the first `N` columns of every row. This is the
 * random-features sweep with one draw of the features reused for every width. The `rows x rows` Gram
 * matrix of the over-parameterized prefixes is accumulated incrementally, so the Gram work of the whole
 * sweep costs about as much as one solve at the widest prefix.
 *
 * @example
 * ```ts
 * import { minNormLeastSquaresPrefixes } from '@emerge/optim';
 *
 * // 3 rows, 4 columns; fits with the first 1, 3 and 4 columns.
 * const design = new Float64Array([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1]);
 * const targets = new Float64Array([1, 2, 3]);
 * const results = minNormLeastSquaresPrefixes(design, 3, 4, targets, 1, [1, 3, 4]);
 * results.map((result) => result.rank); // => [1, 3, 3]
 * Array.from(results[1]!.weights); // => [1, 2, 3]: with 3 columns the design is the identity
 * console.assert(results.map((result) => result.rank).join() === '1,3,3');
 * ```
 */
export function minNormLeastSquaresPrefixes(
  design: Float64Array,
  rows: number,
  columns: number,
  targets: Float64Array,
  targetCount: number,
  prefixColumns: readonly number[],
  options: MinNormLeastSquaresOptions = {},
): MinNormLeastSquaresResult[] {
  validateShapes(design, rows, columns, targets, targetCount);
  let previous = 0;
  prefixColumns.forEach((prefix, index) => {
    requireIntegerInRange(`prefixColumns[${index}]`, prefix, Math.max(1, previous), columns);
    previous = prefix;
  });
  const rowGram: RowGramState = { gram: new Float64Array(rows * rows), accumulatedColumns: 0 };
  return prefixColumns.map((prefix) =>
    solvePrefix(design, rows, columns, prefix, targets, targetCount, options, rowGram),
  );
}

/** The lower triangle of `X[:, :accumulatedColumns] X[:, :accumulatedColumns]^T`, kept across prefixes. */
interface RowGramState {
  gram: Float64Array;
  accumulatedColumns: number;
}

function validateShapes(
  design: Float64Array,
  rows: number,
  columns: number,
  targets: Float64Array,
  targetCount: number,
): void {
  requireIntegerInRange('rows', rows, 1, Number.MAX_SAFE_INTEGER);
  requireIntegerInRange('columns', columns, 1, Number.MAX_SAFE_INTEGER);
  requireIntegerInRange('targetCount', targetCount, 1, Number.MAX_SAFE_INTEGER);
  if (design.length !== rows * columns) {
    throw new OptionError('design.length', `rows * columns = ${rows * columns}`, design.length);
  }
  if (targets.length !== rows * targetCount) {
    throw new OptionError('targets.length', `rows * targetCount = ${rows * targetCount}`, targets.length);
  }
}

function solvePrefix(
  design: Float64Array,
  rows: number,
  stride: number,
  width: number,
  targets: Float64Array,
  targetCount: number,
  options: MinNormLeastSquaresOptions,
  rowGram: RowGramState | undefined,
): MinNormLeastSquaresResult {
  const ridge = requireNumberInRange('ridge', options.ridge ?? 0, 0, Number.POSITIVE_INFINITY);
  const relativeTolerance = requireNumberInRange(
    'relativeTolerance',
    options.relativeTolerance ?? Math.max(rows, width) * Number.EPSILON,
    0,
    1,
  );
  if (width < rows) {
    // Least squares: W = (X^T X)^+ X^T Y with the width x width Gram of the columns.
    const transposed = transposeColumns(design, rows, stride, 0, width); // [width, rows]
    const gram = new Float64Array(width * width);
    accumulateRowGram(transposed, width, rows, 0, rows, gram);
    mirrorLowerTriangle(gram, width);
    const projected = multiply(transposed, width, rows, targets, targetCount); // [width, targetCount]
    const solved = applyPseudoInverse(gram, width, projected, targetCount, ridge, relativeTolerance);
    return { ...solved.summary, weights: solved.solution };
  }
  // Minimum-norm interpolation: W = X^T (X X^T)^+ Y with the rows x rows Gram of the rows.
  const gram = rowGramOfPrefix(design, rows, stride, width, rowGram);
  const solved = applyPseudoInverse(gram, rows, targets, targetCount, ridge, relativeTolerance);
  const weights = new Float64Array(width * targetCount);
  for (let row = 0; row < rows; row++) {
    const offset = row * stride;
    const coefficients = solved.solution.subarray(row * targetCount, (row + 1) * targetCount);
    for (let column = 0; column < width; column++) {
      const value = design[offset + column] as number;
      if (value === 0) continue;
      const out = column * targetCount;
      for (let target = 0; target < targetCount; target++) {
        weights[out + target] = (weights[out + target] as number) + value * (coefficients[target] as number);
      }
    }
  }
  return { ...solved.summary, weights };
}

function rowGramOfPrefix(
  design: Float64Array,
  rows: number,
  stride: number,
  width: number,
  state: RowGramState | undefined,
): Float64Array {
  if (state === undefined) {
    const gram = new Float64Array(rows * rows);
    accumulateRowGram(design, rows, stride, 0, width, gram);
    mirrorLowerTriangle(gram, rows);
    return gram;
  }
  accumulateRowGram(design, rows, stride, state.accumulatedColumns, width, state.gram);
  state.accumulatedColumns = width;
  const gram = Float64Array.from(state.gram);
  mirrorLowerTriangle(gram, rows);
  return gram;
}

/** `A B` for row-major `A` (m x inner) and `B` (inner x n). */
function multiply(
  left: Float64Array,
  rows: number,
  inner: number,
  right: Float64Array,
  columns: number,
): Float64Array {
  const result = new Float64Array(rows * columns);
  for (let i = 0; i < rows; i++) {
    const out = i * columns;
    for (let k = 0; k < inner; k++) {
      const value = left[i * inner + k] as number;
      const from = k * columns;
      for (let j = 0; j < columns; j++)
        result[out + j] = (result[out + j] as number) + value * (right[from + j] as number);
    }
  }
  return result;
}

/**
 * `(G + ridge I)^+ B` for a symmetric positive semi-definite Gram `G` (size x size) and a right-hand
 * side `B` (size x count), dropping eigenvalues below the relative cut-off.
 */
function applyPseudoInverse(
  gram: Float64Array,
  size: number,
  rightHandSide: Float64Array,
  count: number,
  ridge: number,
  relativeTolerance: number,
): { solution: Float64Array; summary: Omit<MinNormLeastSquaresResult, 'weights'> } {
  const { values, coordinates, toOriginal } = eigenbasisOf(gram, size, rightHandSide, count);
  const sorted = Float64Array.from(values).sort().reverse();
  const largest = Math.max(sorted[0] ?? 0, 0);
  const cutoff = relativeTolerance * largest;
  const singularValues = sorted.map((value) => Math.sqrt(Math.max(value, 0)));
  let rank = 0;
  // Scale each eigen-coordinate row by 1 / (lambda + ridge), or drop it below the cut-off.
  values.forEach((value, index) => {
    const kept = value > cutoff && value > 0;
    if (kept) rank++;
    const scale = kept ? 1 / (value + ridge) : 0;
    for (let target = 0; target < count; target++) {
      coordinates[index * count + target] = (coordinates[index * count + target] as number) * scale;
    }
  });
  const solution = toOriginal(coordinates);
  const conditionNumber =
    rank === 0
      ? Number.POSITIVE_INFINITY
      : (singularValues[0] as number) / (singularValues[rank - 1] as number);
  return { solution, summary: { rank, conditionNumber, singularValues } };
}
