import { OptionError, requireIntegerInRange } from '@emerge/core';
import type * as tf from '@tensorflow/tfjs';

/** Upper bound for sizes (widths, vocabularies, counts): large enough for any model here, small enough to catch typos. */
export const MAX_SIZE = 1 << 24;

/** Throws an {@link OptionError} unless `value` is an integer in [1, MAX_SIZE]. */
export function requireSize(field: string, value: unknown): number {
  return requireIntegerInRange(field, value, 1, MAX_SIZE);
}

/** Throws an {@link OptionError} unless `value` is a safe integer usable as a seed. */
export function requireSeed(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new OptionError(field, 'a safe integer', value);
  }
  return value;
}

/** Throws an {@link OptionError} unless `value` is one of `allowed`. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new OptionError(field, `one of ${allowed.map((item) => `"${item}"`).join(', ')}`, value);
  }
  return value as T;
}

/**
 * Throws an {@link OptionError} naming `field` unless `tensor` has the given dtype and shape; `null` in
 * `shape` accepts any size on that axis (e.g. the batch).
 */
export function requireTensor(
  field: string,
  tensor: tf.Tensor,
  dtype: tf.DataType,
  shape: readonly (number | null)[],
): void {
  const matches =
    tensor.dtype === dtype &&
    tensor.rank === shape.length &&
    shape.every((size, axis) => size === null || tensor.shape[axis] === size);
  if (!matches) {
    const expected = shape.map((size) => (size === null ? 'any' : String(size))).join(', ');
    throw new OptionError(
      field,
      `a ${dtype} tensor of shape [${expected}]`,
      `a ${tensor.dtype} tensor of shape [${tensor.shape.join(', ')}]`,
    );
  }
}
