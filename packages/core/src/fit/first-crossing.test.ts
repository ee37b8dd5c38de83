import { describe, expect, it } from 'vitest';
import { firstCrossing } from './first-crossing.js';

describe('firstCrossing', () => {
  it('interpolates linearly between the samples around an upward crossing', () => {
    expect(firstCrossing([0, 10, 20], [0.1, 0.5, 0.9], 0.7)).toBeCloseTo(15, 12);
    expect(firstCrossing([0, 10, 20], [0.1, 0.5, 0.9], 0.5)).toBe(10);
  });

  it('finds the first of several crossings, downward too', () => {
    const xs = [1, 2, 3, 4, 5];
    const ys = [1, 0.2, 0.8, 0.1, 0.05];
    expect(firstCrossing(xs, ys, 0.5, { direction: 'down' })).toBeCloseTo(1 + 0.5 / 0.8, 12);
    expect(firstCrossing(xs, ys, 0.9, { direction: 'up' })).toBe(1);
    expect(firstCrossing(xs, [0.2, 0.3, 0.95, 0.5, 1], 0.9)).toBeCloseTo(2 + 0.6 / 0.65, 12);
  });

  it('interpolates in log x when asked', () => {
    // Halfway in y between x = 100 and x = 10,000 is x = 1,000 on a log axis.
    expect(firstCrossing([100, 10_000], [0, 1], 0.5, { xScale: 'log' })).toBeCloseTo(1000, 8);
  });

  it('returns undefined when the threshold is never reached and validates options', () => {
    expect(firstCrossing([1, 2, 3], [0.1, 0.2, 0.3], 0.9)).toBeUndefined();
    expect(() => firstCrossing([1, 2], [0, 1], 0.5, { direction: 'sideways' as 'up' })).toThrow(
      /direction must be/,
    );
    expect(() => firstCrossing([0, 2], [0, 1], 0.5, { xScale: 'log' })).toThrow(
      /x\[0\] must be a finite number > 0/,
    );
  });
});
