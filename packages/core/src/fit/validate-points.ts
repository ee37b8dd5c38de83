import { OptionError } from '../errors.js';

/**
 * Checks that `x` and `y` are equally long arrays of at least `minimum` finite numbers, and optionally
 * that every value is positive (needed before taking logarithms).
 */
export function requirePoints(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  minimum: number,
  positive: { x?: boolean; y?: boolean } = {},
): void {
  if (x.length !== y.length) throw new OptionError('y.length', `${x.length} (the length of x)`, y.length);
  if (x.length < minimum) throw new OptionError('x.length', `at least ${minimum}`, x.length);
  for (const [name, values, mustBePositive] of [
    ['x', x, positive.x],
    ['y', y, positive.y],
  ] as const) {
    for (let index = 0; index < values.length; index++) {
      const value = values[index] as number;
      if (!Number.isFinite(value) || (mustBePositive === true && value <= 0)) {
        throw new OptionError(
          `${name}[${index}]`,
          mustBePositive ? 'a finite number > 0' : 'a finite number',
          value,
        );
      }
    }
  }
}
