/**
 * The error every public function of emerge-figures throws for bad options: it names the field and the
 * allowed range, so a user (and the CLI) can print one clear line instead of a stack trace.
 * @example
 * ```ts
 * import { OptionError } from '@emerge/core';
 *
 * const error = new OptionError('rate', 'a number in [0, 1]', 1.5);
 * error.message; // => 'rate must be a number in [0, 1], got 1.5'
 * console.assert(error.message === 'rate must be a number in [0, 1], got 1.5' && error.field === 'rate');
 * ```
 */
export class OptionError extends RangeError {
  /** The option that was wrong, e.g. `labelNoise.rate`. */
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

/**
 * Throws an {@link OptionError} unless `value` is a number in [min, max].
 * @example
 * ```ts
 * import { OptionError, requireNumberInRange } from '@emerge/core';
 *
 * requireNumberInRange('rate', 0.2, 0, 1); // => 0.2
 * let caught: unknown;
 * try {
 *   requireNumberInRange('rate', 1.5, 0, 1);
 * } catch (error) {
 *   caught = error;
 * }
 * console.assert(caught instanceof OptionError && caught.field === 'rate');
 * ```
 */
export function requireNumberInRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new OptionError(field, `a number in [${min}, ${max}]`, value);
  }
  return value;
}

/**
 * Throws an {@link OptionError} unless `value` is an integer in [min, max].
 * @example
 * ```ts
 * import { requireIntegerInRange } from '@emerge/core';
 *
 * requireIntegerInRange('classes', 10, 2, 1000); // => 10
 * let message = '';
 * try {
 *   requireIntegerInRange('classes', 2.5, 2, 1000);
 * } catch (error) {
 *   message = (error as Error).message; // => 'classes must be an integer in [2, 1000], got 2.5'
 * }
 * console.assert(message === 'classes must be an integer in [2, 1000], got 2.5');
 * ```
 */
export function requireIntegerInRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(field, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}
