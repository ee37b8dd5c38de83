import { createRandom, OptionError } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { leastSquaresRisk } from './least-squares-risk.js';
import { minNormLeastSquares } from './min-norm-least-squares.js';

const base = { features: 30, samples: 12, noiseVariance: 0.1, signalNormChosen: 0, signalNormRest: 0 };

/**
 * Monte Carlo risk of the min-norm fit on the first `chosen` of `features` Gaussian features. Given the
 * fitted w, the test risk is exact: |beta_chosen - w|^2 + |beta_rest|^2 + sigma^2.
 */
function simulatedRisk(chosen: number, trials: number, seed: number): number {
  const { features, samples, noiseVariance } = base;
  const random = createRandom(seed);
  // beta has equal entries so |beta|^2 = 1 over all features.
  const beta = Array.from({ length: features }, () => 1 / Math.sqrt(features));
  let restNorm = 0;
  for (let index = chosen; index < features; index++) restNorm += (beta[index] as number) ** 2;
  let total = 0;
  for (let trial = 0; trial < trials; trial++) {
    const design = new Float64Array(samples * chosen);
    const targets = new Float64Array(samples);
    for (let row = 0; row < samples; row++) {
      let label = Math.sqrt(noiseVariance) * random.normal();
      for (let column = 0; column < features; column++) {
        const value = random.normal();
        label += value * (beta[column] as number);
        if (column < chosen) design[row * chosen + column] = value;
      }
      targets[row] = label;
    }
    const { weights } = minNormLeastSquares(design, samples, chosen, targets, 1);
    let error = 0;
    for (let column = 0; column < chosen; column++)
      error += ((beta[column] as number) - (weights[column] as number)) ** 2;
    total += error + restNorm + noiseVariance;
  }
  return total / trials;
}

describe('leastSquaresRisk', () => {
  it('evaluates both branches of the formula worked by hand', () => {
    expect(leastSquaresRisk({ ...base, chosen: 5, signalNormRest: 0.5 })).toBeCloseTo(0.6 * (1 + 5 / 6), 14);
    expect(leastSquaresRisk({ ...base, chosen: 20, signalNormChosen: 0.4, signalNormRest: 0.5 })).toBeCloseTo(
      0.4 * (1 - 12 / 20) + 0.6 * (1 + 12 / 7),
      14,
    );
    expect(leastSquaresRisk({ ...base, chosen: 0, signalNormRest: 1 })).toBeCloseTo(1.1, 14);
    for (const chosen of [11, 12, 13])
      expect(leastSquaresRisk({ ...base, chosen })).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([4, 8, 17, 24, 30])(
    'matches a Monte Carlo simulation of min-norm least squares at p = %i',
    (chosen) => {
      const theory = leastSquaresRisk({
        ...base,
        chosen,
        signalNormChosen: chosen / base.features,
        signalNormRest: 1 - chosen / base.features,
      });
      // 4,000 trials give a standard error of a few percent even near the peak (p = 8 and 17).
      const ratio = simulatedRisk(chosen, 4000, chosen) / theory;
      expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
    },
  );

  it('throws OptionError naming the bad field', () => {
    expect(() => leastSquaresRisk({ ...base, chosen: 31 })).toThrow(OptionError);
    expect(() => leastSquaresRisk({ ...base, chosen: 3, noiseVariance: -1 })).toThrow(/noiseVariance/);
  });
});
