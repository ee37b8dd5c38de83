import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  type DoubleDescentData,
  doubleDescent,
  doubleDescentClaims,
  featureGrid,
  randomFeaturesRun,
  regressionRiskRun,
} from './double-descent.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('featureGrid', () => {
  it('is an odd, log-spaced grid from n/20 to 20n with N = n in the middle', () => {
    const grid = featureGrid(500, 7);
    expect(grid).toHaveLength(15);
    expect(grid[0]).toBe(25);
    expect(grid[7]).toBe(500);
    expect(grid[14]).toBe(10_000);
    for (let index = 1; index < grid.length; index++) {
      expect((grid[index] ?? 0) / (grid[index - 1] ?? 1)).toBeCloseTo(20 ** (1 / 7), 1);
    }
  });
});

describe('regressionRiskRun', () => {
  it('matches the closed-form risk on both sides of the threshold', () => {
    for (const chosen of [4, 24]) {
      const { simulated, closedForm } = regressionRiskRun(
        { features: 30, samples: 12, chosen, noiseVariance: 0.04, trials: 3000 },
        1,
      );
      expect(Math.abs(simulated - closedForm) / closedForm).toBeLessThan(0.08);
    }
  });
});

describe('randomFeaturesRun', () => {
  it('interpolates the training labels once N >= n and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const { points } = await randomFeaturesRun(
      { trainSize: 40, testSize: 60, featureCounts: [10, 40, 160], noiseRates: [0, 0.2], weightStd: 0.2 },
      3,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(points.map((point) => point.features)).toEqual([10, 40, 160]);
    for (const point of points.slice(1)) expect(Math.max(...point.trainError)).toBe(0);
    expect(points[0]!.trainError[0]).toBeGreaterThan(0);
    expect(points[0]!.rank).toBe(10);
  });
});

function syntheticData(testErrors: number[], trainErrors: number[]): DoubleDescentData {
  const features = [25, 100, 500, 2500, 10000];
  return {
    trainSize: 500,
    testSize: 100,
    noiseRates: [0],
    points: features.map((count, index) => ({
      features: count,
      rank: Math.min(count, 500),
      testError: [testErrors[index] ?? 0],
      trainError: [trainErrors[index] ?? 0],
    })),
    regression: {
      features: 100,
      samples: 40,
      trials: 10,
      points: [{ chosen: 20, simulated: 1.0, closedForm: 1.05 }],
    },
  };
}

describe('doubleDescentClaims', () => {
  it('holds for a curve that peaks at N = n and interpolates beyond it', () => {
    const claims = doubleDescentClaims(syntheticData([0.5, 0.2, 0.6, 0.15, 0.1], [0.3, 0.1, 0, 0, 0]));
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['peak-at-threshold', true],
      ['peak-height', true],
      ['interpolation', true],
      ['second-descent-wins', true],
      ['closed-form-risk', true],
    ]);
  });

  it('fails for a monotone curve, a low peak, training error beyond n and a wrong risk', () => {
    const data = syntheticData([0.6, 0.5, 0.4, 0.3, 0.2], [0.3, 0.2, 0.05, 0, 0]);
    data.regression.points = [{ chosen: 20, simulated: 1.0, closedForm: 2 }];
    const claims = doubleDescentClaims(data);
    expect(claims.every((claim) => claim.id === 'second-descent-wins' || !claim.holds)).toBe(true);
    const lowPeak = doubleDescentClaims(syntheticData([0.5, 0.3, 0.35, 0.25, 0.2], [0, 0, 0, 0, 0]));
    expect(lowPeak.find((claim) => claim.id === 'peak-height')?.holds).toBe(false);
    const underWins = doubleDescentClaims(syntheticData([0.5, 0.1, 0.6, 0.3, 0.2], [0, 0, 0, 0, 0]));
    expect(underWins.find((claim) => claim.id === 'second-descent-wins')?.holds).toBe(false);
  });
});

describe('doubleDescent at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', async () => {
    const runs = doubleDescent.sweep('smoke', 0);
    const { randomFeaturesRun: featuresRun, regressionRiskRun: riskRun } = await import(
      './double-descent.js'
    );
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      const result =
        run.exportName === 'randomFeaturesRun'
          ? await featuresRun(run.config as never, run.seed)
          : riskRun(run.config as never, run.seed);
      results.push({ run, result: JSON.parse(JSON.stringify(result)) });
    }
    const data = doubleDescent.assemble(results, 'smoke');
    expect(data.points).toHaveLength(5);
    expect(doubleDescent.claims(data, 'smoke')).toHaveLength(5);
    const spec = doubleDescent.plot(data, 'zh');
    expect(JSON.stringify(spec)).toContain('双下降');
    expect(doubleDescent.caption(data, 'en')).toMatch(/n = 60 MNIST digits/);
  });
});
