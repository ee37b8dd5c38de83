import { describe, expect, it } from 'vitest';
import { fitPowerLaw } from './power-law.js';

const sizes = [4096, 8192, 16384, 32768, 65536];

describe('fitPowerLaw', () => {
  it('recovers the offset, amplitude and exponent of an exact power law', () => {
    const curve = (x: number) => 1.7 + 9 * x ** -0.35;
    const fit = fitPowerLaw(sizes, sizes.map(curve));
    expect(fit.offset).toBeCloseTo(1.7, 5);
    expect(fit.amplitude / 9).toBeCloseTo(1, 3);
    expect(fit.exponent).toBeCloseTo(0.35, 4);
    expect(fit.rSquared).toBeGreaterThan(1 - 1e-10);
  });

  it('recovers a pure power law (offset 0) and a small exponent like Kaplan alpha_D', () => {
    const xs = [1, 2, 4, 8, 16, 32, 64];
    const pure = fitPowerLaw(
      xs,
      xs.map((x) => 5 * x ** -1.2),
    );
    expect(pure.offset).toBeCloseTo(0, 6);
    expect(pure.exponent).toBeCloseTo(1.2, 5);
    const shallow = fitPowerLaw(
      sizes,
      sizes.map((x) => 0.9 + 4 * x ** -0.095),
    );
    expect(shallow.exponent).toBeCloseTo(0.095, 3);
    expect(shallow.offset).toBeCloseTo(0.9, 2);
  });

  it('reports R^2 on y that drops for data that is not a power law', () => {
    const fit = fitPowerLaw([1, 2, 3, 4, 5], [3, 1, 4, 1, 5]);
    expect(fit.rSquared).toBeLessThan(0.5);
  });

  it('rejects too few points and non-positive values', () => {
    expect(() => fitPowerLaw([1, 2], [3, 2])).toThrow('x.length must be at least 3, got 2');
    expect(() => fitPowerLaw([1, 2, 3], [3, 0, 1])).toThrow('y[1] must be a finite number > 0, got 0');
    expect(() => fitPowerLaw([1, -2, 3], [3, 2, 1])).toThrow(/x\[1\]/);
  });
});
