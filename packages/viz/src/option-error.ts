/**
 * The error every builder of `@emerge/viz` throws for bad options. It names the field and the allowed
 * range, like `OptionError` of `@emerge/core` (same `name`, same message shape), without making this
 * package depend on the core: callers can test `error.name === 'OptionError'` for both.
 * @example
 * ```ts
 * import { OptionError } from '@emerge/viz';
 *
 * const error = new OptionError('width', 'a finite number > 0', -1);
 * error.message; // => 'width must be a finite number > 0, got -1'
 * console.assert(error.name === 'OptionError' && error.field === 'width');
 * ```
 */
export class OptionError extends RangeError {
  /** The option that was wrong, e.g. `series[2].points[0].x`. */
  readonly field: string;

  constructor(field: string, expected: string, received: unknown) {
    super(`${field} must be ${expected}, got ${formatReceived(received)}`);
    this.name = 'OptionError';
    this.field = field;
  }
}

function formatReceived(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatReceived).join(', ')}]`;
  return String(value);
}

/** Throws an {@link OptionError} unless `value` is a finite number (and positive when `positive`). */
export function requireFiniteNumber(field: string, value: unknown, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) {
    throw new OptionError(field, positive ? 'a finite number > 0' : 'a finite number', value);
  }
  return value;
}
