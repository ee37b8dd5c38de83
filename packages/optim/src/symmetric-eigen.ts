/**
 * Eigendecomposition of a real symmetric matrix in float64: Householder reduction to tridiagonal form,
 * then the implicit QL iteration with Wilkinson shifts. Both phases work on rows of row-major arrays
 * (eigenvectors are stored as rows) so that every inner loop is contiguous.
 */

/** The result of {@link symmetricEigen}. */
export interface SymmetricEigen {
  /** Eigenvalues in descending order. */
  values: Float64Array;
  /** Eigenvectors as rows (row `i` belongs to `values[i]`), row-major `size x size`, orthonormal. */
  vectors: Float64Array;
}

/** Iterations of the QL step per eigenvalue before giving up; convergence normally takes 1-3. */
const MAX_QL_ITERATIONS = 60;

/**
 * Eigenvalues and eigenvectors of the symmetric `size x size` row-major matrix `matrix` (which is not
 * modified). Accuracy: eigenvalues to a few ulps of the largest magnitude; eigenvectors orthonormal to
 * about `size * 1e-16`.
 *
 * @example
 * ```ts
 * import { symmetricEigen } from '@emerge/optim';
 *
 * const { values, vectors } = symmetricEigen(new Float64Array([2, 1, 1, 2]), 2);
 * // => values [3, 1]; vectors row 0 = ±[0.707, 0.707]
 * console.assert(Math.abs(values[0]! - 3) < 1e-12 && Math.abs(Math.abs(vectors[0]!) - Math.SQRT1_2) < 1e-12);
 * ```
 */
export function symmetricEigen(matrix: Float64Array, size: number): SymmetricEigen {
  const { diagonal, offDiagonal, reflectors } = tridiagonalize(matrix, size);
  // Q itself, accumulated from the identity (whose leading columns stay zero: skip them).
  const transform = new Float64Array(size * size);
  for (let i = 0; i < size; i++) transform[i * size + i] = 1;
  applyReflectors(reflectors, size, transform, size, 'q', true);
  const vectors = transpose(transform, size);
  tridiagonalQl(diagonal, offDiagonal, vectors, size, size);
  return sortDescending(diagonal, vectors, size);
}

/** A right-hand side expressed in the eigenbasis of a symmetric matrix; see {@link eigenbasisOf}. */
export interface Eigenbasis {
  /** Eigenvalues, in the (unsorted) order of the rows of `coordinates`. */
  values: Float64Array;
  /** `U^T B` (size x count, row-major): row i holds the coordinates along eigenvector i. */
  coordinates: Float64Array;
  /** Maps coordinates (size x count) back: returns `U C`. */
  toOriginal(coordinates: Float64Array): Float64Array;
}

/**
 * The eigendecomposition of a symmetric matrix applied to a right-hand side `B` (size x count) without
 * forming eigenvectors: the tridiagonal transform and the QL rotations are applied to B's rows and
 * replayed backwards for the way back. For `count << size` this skips most of the work of
 * {@link symmetricEigen} (the spectral functions `f(A) B` of least squares need nothing more).
 */
export function eigenbasisOf(
  matrix: Float64Array,
  size: number,
  rightHandSide: Float64Array,
  count: number,
): Eigenbasis {
  const { diagonal, offDiagonal, reflectors } = tridiagonalize(matrix, size);
  const coordinates = Float64Array.from(rightHandSide);
  applyReflectors(reflectors, size, coordinates, count, 'qTranspose', false);
  const rotations: number[] = [];
  tridiagonalQl(diagonal, offDiagonal, coordinates, count, size, rotations);
  return {
    values: diagonal,
    coordinates,
    toOriginal(eigenCoordinates) {
      const result = Float64Array.from(eigenCoordinates);
      // Undo the rotations in reverse order (each is orthogonal: its inverse is its transpose).
      for (let index = rotations.length - 3; index >= 0; index -= 3) {
        rotateRows(
          result,
          count,
          rotations[index] as number,
          -(rotations[index + 1] as number),
          rotations[index + 2] as number,
        );
      }
      applyReflectors(reflectors, size, result, count, 'q', false);
      return result;
    },
  };
}

/** Householder reflectors `H_k = I - beta_k v_k v_k^T`; row k of `vectors` holds v_k from index k + 1. */
interface Reflectors {
  vectors: Float64Array;
  betas: Float64Array;
}

/**
 * Householder reduction `Q^T A Q = tridiagonal(diagonal, offDiagonal)` with `Q = H_0 H_1 ... H_{n-3}`
 * (only the lower triangle of `matrix` is read). `offDiagonal[k]` couples entries k and k + 1.
 */
function tridiagonalize(
  matrix: Float64Array,
  size: number,
): { diagonal: Float64Array; offDiagonal: Float64Array; reflectors: Reflectors } {
  if (matrix.length !== size * size) {
    throw new RangeError(`matrix must have ${size * size} entries, got ${matrix.length}`);
  }
  const work = Float64Array.from(matrix);
  const diagonal = new Float64Array(size);
  const offDiagonal = new Float64Array(size);
  const reflectors = new Float64Array(size * size);
  const betas = new Float64Array(size);
  const product = new Float64Array(size);
  for (let k = 0; k + 2 < size; k++) {
    // Householder vector v (stored from index k + 1) with (I - beta v v^T) x = alpha e_1, x = A[k+1:, k].
    const base = k * size;
    let norm = 0;
    for (let i = k + 1; i < size; i++) {
      const value = work[i * size + k] as number;
      reflectors[base + i] = value;
      norm += value * value;
    }
    norm = Math.sqrt(norm);
    const head = reflectors[base + k + 1] as number;
    if (norm === 0) {
      betas[k] = 0;
      offDiagonal[k] = 0;
      continue;
    }
    const alpha = head > 0 ? -norm : norm;
    reflectors[base + k + 1] = head - alpha;
    // beta = 2 / |v|^2 with |v|^2 = 2 norm (norm + |head|) for this choice of sign.
    const beta = 1 / (norm * (norm + Math.abs(head)));
    betas[k] = beta;
    offDiagonal[k] = alpha;
    // p = beta A' v over the trailing block from its lower triangle (each loaded entry serves A_ij v_j
    // and A_ji v_i), then w = p - (beta p.v / 2) v.
    product.fill(0, k + 1);
    for (let i = k + 1; i < size; i++) {
      const row = i * size;
      const vi = reflectors[base + i] as number;
      let sum = (work[row + i] as number) * vi;
      for (let j = k + 1; j < i; j++) {
        const entry = work[row + j] as number;
        sum += entry * (reflectors[base + j] as number);
        product[j] = (product[j] as number) + entry * vi;
      }
      product[i] = (product[i] as number) + sum;
    }
    let pDotV = 0;
    for (let i = k + 1; i < size; i++) {
      const value = beta * (product[i] as number);
      product[i] = value;
      pDotV += value * (reflectors[base + i] as number);
    }
    const half = 0.5 * beta * pDotV;
    for (let i = k + 1; i < size; i++)
      product[i] = (product[i] as number) - half * (reflectors[base + i] as number);
    // A' <- A' - v w^T - w v^T on the lower triangle of the trailing block.
    for (let i = k + 1; i < size; i++) {
      const vi = reflectors[base + i] as number;
      const wi = product[i] as number;
      const row = i * size;
      for (let j = k + 1; j <= i; j++) {
        work[row + j] =
          (work[row + j] as number) - vi * (product[j] as number) - wi * (reflectors[base + j] as number);
      }
    }
  }
  for (let k = 0; k < size; k++) diagonal[k] = work[k * size + k] as number;
  if (size >= 2) offDiagonal[size - 2] = work[(size - 1) * size + size - 2] as number;
  offDiagonal[size - 1] = 0;

  return { diagonal, offDiagonal, reflectors: { vectors: reflectors, betas } };
}

/**
 * Multiplies `target` (size x columns, row-major) in place by `Q` (reflectors applied last to first) or
 * by `Q^T` (first to last). With `identityStart`, target started as the identity, so for reflector k the
 * columns before k + 1 of its rows are still zero and are skipped.
 */
function applyReflectors(
  reflectors: Reflectors,
  size: number,
  target: Float64Array,
  columns: number,
  which: 'q' | 'qTranspose',
  identityStart: boolean,
): void {
  const combination = new Float64Array(columns);
  const last = size - 3;
  for (let step = 0; step <= last; step++) {
    const k = which === 'q' ? last - step : step;
    const beta = reflectors.betas[k] as number;
    if (beta === 0) continue;
    const base = k * size;
    const firstColumn = identityStart ? k + 1 : 0;
    combination.fill(0);
    for (let i = k + 1; i < size; i++) {
      const vi = reflectors.vectors[base + i] as number;
      const row = i * columns;
      for (let j = firstColumn; j < columns; j++)
        combination[j] = (combination[j] as number) + vi * (target[row + j] as number);
    }
    for (let i = k + 1; i < size; i++) {
      const scale = beta * (reflectors.vectors[base + i] as number);
      const row = i * columns;
      for (let j = firstColumn; j < columns; j++)
        target[row + j] = (target[row + j] as number) - scale * (combination[j] as number);
    }
  }
}

/**
 * Diagonalizes the symmetric tridiagonal matrix (diagonal, offDiagonal) in place by implicit QL steps
 * with Wilkinson shifts, applying every rotation to the rows (of length `rowLength`) of `rows`, and
 * appending `(index, sine, cosine)` of each to `record` when given.
 */
function tridiagonalQl(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
  rows: Float64Array,
  rowLength: number,
  size: number,
  record?: number[],
): void {
  for (let low = 0; low < size; low++) {
    let iterations = 0;
    for (;;) {
      // Find the first negligible off-diagonal entry at or after `low`: the block [low, high] splits there.
      let high = low;
      while (high < size - 1) {
        const scale = Math.abs(diagonal[high] as number) + Math.abs(diagonal[high + 1] as number);
        if (Math.abs(offDiagonal[high] as number) <= Number.EPSILON * scale) break;
        high++;
      }
      if (high === low) break;
      if (++iterations > MAX_QL_ITERATIONS) throw new Error('symmetricEigen: QL iteration did not converge');
      // Wilkinson shift from the leading 2x2 block, folded into the first rotation's g.
      const dLow = diagonal[low] as number;
      const eLow = offDiagonal[low] as number;
      let g = ((diagonal[low + 1] as number) - dLow) / (2 * eLow);
      let r = Math.hypot(g, 1);
      g = (diagonal[high] as number) - dLow + eLow / (g + (g >= 0 ? r : -r));
      let sine = 1;
      let cosine = 1;
      let shift = 0;
      let deflatedEarly = false;
      for (let i = high - 1; i >= low; i--) {
        const f = sine * (offDiagonal[i] as number);
        const b = cosine * (offDiagonal[i] as number);
        r = Math.hypot(f, g);
        offDiagonal[i + 1] = r;
        if (r === 0) {
          // Underflow: the block splits at i + 1; undo the pending shift and restart.
          diagonal[i + 1] = (diagonal[i + 1] as number) - shift;
          offDiagonal[high] = 0;
          deflatedEarly = true;
          break;
        }
        sine = f / r;
        cosine = g / r;
        g = (diagonal[i + 1] as number) - shift;
        r = ((diagonal[i] as number) - g) * sine + 2 * cosine * b;
        shift = sine * r;
        diagonal[i + 1] = g + shift;
        g = cosine * r - b;
        rotateRows(rows, rowLength, i, sine, cosine);
        record?.push(i, sine, cosine);
      }
      if (deflatedEarly) continue;
      diagonal[low] = (diagonal[low] as number) - shift;
      offDiagonal[low] = g;
      offDiagonal[high] = 0;
    }
  }
}

/** Applies one Givens rotation to rows `index` and `index + 1` of a row-major matrix. */
function rotateRows(
  rows: Float64Array,
  rowLength: number,
  index: number,
  sine: number,
  cosine: number,
): void {
  const first = index * rowLength;
  const second = first + rowLength;
  for (let k = 0; k < rowLength; k++) {
    const upper = rows[first + k] as number;
    const lower = rows[second + k] as number;
    rows[second + k] = sine * upper + cosine * lower;
    rows[first + k] = cosine * upper - sine * lower;
  }
}

function transpose(matrix: Float64Array, size: number): Float64Array {
  const result = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) result[j * size + i] = matrix[i * size + j] as number;
  }
  return result;
}

function sortDescending(values: Float64Array, vectors: Float64Array, size: number): SymmetricEigen {
  const order = Array.from({ length: size }, (_, index) => index).sort(
    (a, b) => (values[b] as number) - (values[a] as number),
  );
  const sortedValues = new Float64Array(size);
  const sortedVectors = new Float64Array(size * size);
  order.forEach((from, to) => {
    sortedValues[to] = values[from] as number;
    sortedVectors.set(vectors.subarray(from * size, (from + 1) * size), to * size);
  });
  return { values: sortedValues, vectors: sortedVectors };
}
