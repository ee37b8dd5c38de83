/**
 * Float64 vector helpers for the iterative eigen-solvers, plus the operator type they act on.
 */
import type { Random } from '@emerge/core';

/** A symmetric linear map on float64 vectors, e.g. a Hessian. */
export interface LinearOperator {
  /** Length of the vectors it acts on. */
  readonly dimension: number;
  /** The product with a vector (a new array; the input is not modified). */
  multiply(vector: Float64Array): Float64Array;
}

/** The dot product of two vectors. */
export function dot(left: Float64Array, right: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += (left[index] as number) * (right[index] as number);
  return sum;
}

/** The Euclidean norm of a vector. */
export function norm(vector: Float64Array): number {
  return Math.sqrt(dot(vector, vector));
}

/** `target += scale * source`, in place. */
export function addScaled(target: Float64Array, source: Float64Array, scale: number): void {
  for (let index = 0; index < target.length; index++) {
    target[index] = (target[index] as number) + scale * (source[index] as number);
  }
}

/** Scales a vector in place to unit norm and returns its former norm. */
export function normalize(vector: Float64Array): number {
  const length = norm(vector);
  if (length > 0)
    for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] as number) / length;
  return length;
}

/** A standard normal vector. */
export function gaussianVector(dimension: number, random: Random): Float64Array {
  const vector = new Float64Array(dimension);
  for (let index = 0; index < dimension; index++) vector[index] = random.normal();
  return vector;
}

/** A vector of independent +-1 entries (Rademacher). */
export function rademacherVector(dimension: number, random: Random): Float64Array {
  const vector = new Float64Array(dimension);
  for (let index = 0; index < dimension; index++) vector[index] = random.uniform() < 0.5 ? -1 : 1;
  return vector;
}

/** Removes from `vector` its components along each (unit) vector of `basis`, twice for stability. */
export function orthogonalize(vector: Float64Array, basis: readonly Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const direction of basis) addScaled(vector, direction, -dot(vector, direction));
  }
}
