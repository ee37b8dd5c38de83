import { OptionError } from '../errors.js';
import { requirePoints } from './validate-points.js';

/** Options of {@link firstCrossing}. */
export interface CrossingOptions {
  /** `'up'` finds the first reach of y >= threshold, `'down'` the first y <= threshold. Default: `'up'`. */
  direction?: 'up' | 'down';
  /**
   * How to interpolate between the two samples around the crossing: `'linear'` in x, or `'log'` in
   * log x (for x on a log axis such as steps or parameters; x must then be positive). Default: `'linear'`.
   */
  xScale?: 'linear' | 'log';
}

/**
 * The first x at which the curve (xs, ys) reaches `threshold`, interpolated linearly between the sample
 * before and the sample at the crossing; `xs[0]` when the first sample is already past the threshold, and
 * `undefined` when the curve never gets there.
 * @throws OptionError for unequal lengths, no points or non-finite values.
 * @example
 * ```ts
 * import { firstCrossing } from '@emerge/core';
 *
 * firstCrossing([0, 10, 20], [0.1, 0.5, 0.9], 0.7); // => 15 (linear interpolation between steps 10 and 20)
 * console.assert(firstCrossing([0, 10, 20], [0.1, 0.5, 0.9], 0.7) === 15);
 * ```
 */
export function firstCrossing(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  threshold: number,
  options: CrossingOptions = {},
): number | undefined {
  const direction = options.direction ?? 'up';
  const xScale = options.xScale ?? 'linear';
  if (direction !== 'up' && direction !== 'down')
    throw new OptionError('direction', "'up' or 'down'", direction);
  if (xScale !== 'linear' && xScale !== 'log') throw new OptionError('xScale', "'linear' or 'log'", xScale);
  requirePoints(xs, ys, 1, { x: xScale === 'log' });
  if (!Number.isFinite(threshold)) throw new OptionError('threshold', 'a finite number', threshold);
  const reached = (value: number) => (direction === 'up' ? value >= threshold : value <= threshold);
  for (let index = 0; index < ys.length; index++) {
    const y = ys[index] as number;
    if (!reached(y)) continue;
    if (index === 0) return xs[0] as number;
    const previousY = ys[index - 1] as number;
    const fraction = (threshold - previousY) / (y - previousY);
    const toScale = xScale === 'log' ? Math.log : (value: number) => value;
    const fromScale = xScale === 'log' ? Math.exp : (value: number) => value;
    const before = toScale(xs[index - 1] as number);
    return fromScale(before + fraction * (toScale(xs[index] as number) - before));
  }
  return undefined;
}
