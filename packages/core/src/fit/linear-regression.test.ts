import { describe, expect, it } from 'vitest';
import { linearRegression } from './linear-regression.js';
import { logLogSlope } from './log-log-slope.js';

describe('linearRegression', () => {
  it('fits an exact line', () => {
    const fit = linearRegression([0, 1, 2], [1, 3, 5]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.rSquared).toBeCloseTo(1, 12);
  });

  it('matches a hand-worked noisy case', () => {
    // x = 1..4, y = 2, 3, 5, 4: mean x 2.5, mean y 3.5, Sxx 5, Sxy 4 -> slope 0.8, intercept 1.5;
    // residuals -0.3, -0.1, 1.1, -0.7 -> SSres 1.8, SStot 5 -> R^2 0.64.
    const fit = linearRegression([1, 2, 3, 4], [2, 3, 5, 4]);
    expect(fit.slope).toBeCloseTo(0.8, 12);
    expect(fit.intercept).toBeCloseTo(1.5, 12);
    expect(fit.rSquared).toBeCloseTo(0.64, 12);
  });

  it('rejects constant x and unequal lengths', () => {
    expect(() => linearRegression([1, 1], [1, 2])).toThrow(/distinct x/);
    expect(() => linearRegression([1, 2], [1])).toThrow('y.length must be 2 (the length of x), got 1');
  });
});

describe('logLogSlope', () => {
  it('finds the exponent of y = a x^b', () => {
    const fit = logLogSlope([1, 2, 4, 8], [3, 12, 48, 192]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(Math.exp(fit.intercept)).toBeCloseTo(3, 10);
    expect(fit.rSquared).toBeCloseTo(1, 12);
    expect(logLogSlope([16, 64, 256], [5, 5, 5]).slope).toBeCloseTo(0, 12);
  });

  it('rejects values that have no logarithm', () => {
    expect(() => logLogSlope([1, 2], [0, 1])).toThrow(/y\[0\] must be a finite number > 0/);
  });
});
