/**
 * The error every public function of emerge-figures throws for bad options: it names the field and the
 * allowed range, so a user (and the CLI) can print one clear line instead of a stack trace.
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

/** Throws an {@link OptionError} unless `value` is a number in [min, max]. */
export function requireNumberInRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
    throw new OptionError(field, `a number in [${min}, ${max}]`, value);
  }
  return value;
}

/** Throws an {@link OptionError} unless `value` is an integer in [min, max]. */
export function requireIntegerInRange(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new OptionError(field, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}
