import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  type DoubleDescentNnData,
  doubleDescentNn,
  doubleDescentNnClaims,
  highestLocalMaximum,
  type MlpDoubleDescentPoint,
  mlpDoubleDescentRun,
  summarizeWidths,
} from './double-descent-nn.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('highestLocalMaximum', () => {
  it('finds the highest interior point that is at least as high as both neighbours', () => {
    expect(highestLocalMaximum([0.5, 0.2, 0.3, 0.25, 0.1])).toBe(2);
    expect(highestLocalMaximum([0.5, 0.2, 0.3, 0.2, 0.4, 0.1])).toBe(4);
  });

  it('ignores the ends and returns -1 for a monotone curve', () => {
    expect(highestLocalMaximum([0.5, 0.4, 0.3])).toBe(-1);
    expect(highestLocalMaximum([0.1, 0.2, 0.9])).toBe(-1);
  });
});

function point(
  width: number,
  member: number,
  trainError: number,
  testError: number,
  steps: number,
  trainLoss = 0.001,
): MlpDoubleDescentPoint {
  return {
    width,
    parameters: 60 * width + 10, // 49 inputs: 50 x width + (width + 1) x 10
    member,
    steps,
    trainError,
    testError,
    trainLoss,
  };
}

describe('summarizeWidths', () => {
  it('averages each width over its members, ascending, and counts those that reached the target loss', () => {
    const summary = summarizeWidths(
      [point(64, 0, 0.1, 0.3, 100, 0.02), point(8, 0, 0.4, 0.5, 100, 0.05), point(64, 1, 0, 0.2, 40, 0.003)],
      0.003,
    );
    expect(summary.map((width) => width.width)).toEqual([8, 64]);
    expect(summary[1]?.testError).toBeCloseTo(0.25, 12);
    expect([summary[1]?.testErrorLow, summary[1]?.testErrorHigh]).toEqual([0.2, 0.3]);
    expect(summary[1]?.trainError).toBeCloseTo(0.05, 12);
    expect(summary[1]?.steps).toBe(70);
    expect(summary[1]?.reachedTarget).toBe(1);
    expect(summary[0]?.reachedTarget).toBe(0);
  });
});

function syntheticData(testErrors: number[], trainErrors: number[]): DoubleDescentNnData {
  // Parameters 490, 1930, 9970 (the threshold's neighbourhood), 30730, 61450.
  const widths = [8, 32, 166, 512, 1024];
  const runs = widths.map((width, index) =>
    point(width, 0, trainErrors[index] ?? 0, testErrors[index] ?? 0, 10),
  );
  return {
    trainSize: 1000,
    testSize: 2000,
    noiseRate: 0.15,
    inputSize: 49,
    learningRate: 1e-3,
    targetTrainLoss: 0.003,
    maxSteps: 10,
    threshold: 10000,
    runs,
    widths: summarizeWidths(runs, 0.003),
  };
}

describe('doubleDescentNnClaims', () => {
  it('holds for a curve that peaks at the threshold and interpolates from there on', () => {
    const claims = doubleDescentNnClaims(
      syntheticData([0.3, 0.15, 0.35, 0.25, 0.2], [0.3, 0.15, 0.005, 0, 0]),
    );
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['peak-at-threshold', true],
      ['peak-height', true],
      ['interpolation', true],
    ]);
    expect(claims[1]?.value).toBeCloseTo(0.35 / 0.2, 12);
  });

  it('fails for a curve that keeps rising, a low peak, a peak far from the threshold and unfit training labels', () => {
    const rising = doubleDescentNnClaims(syntheticData([0.3, 0.15, 0.2, 0.25, 0.26], [0.3, 0.1, 0, 0, 0]));
    expect(rising.every((claim) => claim.id === 'interpolation' || !claim.holds)).toBe(true);
    const low = doubleDescentNnClaims(syntheticData([0.3, 0.15, 0.2, 0.18, 0.19], [0.3, 0.1, 0, 0, 0]));
    expect(low.find((claim) => claim.id === 'peak-height')?.holds).toBe(false);
    const farPeak = doubleDescentNnClaims(syntheticData([0.3, 0.15, 0.2, 0.35, 0.2], [0.3, 0.1, 0, 0, 0]));
    expect(farPeak.find((claim) => claim.id === 'peak-at-threshold')?.holds).toBe(false);
    const unfit = doubleDescentNnClaims(syntheticData([0.3, 0.15, 0.35, 0.25, 0.2], [0.3, 0.15, 0.03, 0, 0]));
    expect(unfit.find((claim) => claim.id === 'interpolation')?.holds).toBe(false);
  });
});

describe('mlpDoubleDescentRun', () => {
  it('stops once a wide network reaches the target loss, fitting every noisy label, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const result = await mlpDoubleDescentRun(
      {
        trainSize: 30,
        testSize: 40,
        noiseRate: 0.2,
        poolFactor: 4,
        width: 128,
        member: 0,
        learningRate: 1e-2,
        targetTrainLoss: 0.003,
        maxSteps: 600,
        checkEvery: 10,
      },
      3,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(result.trainLoss).toBeLessThanOrEqual(0.003);
    expect(result.trainError).toBe(0);
    expect(result.steps).toBeLessThan(600);
    expect(result.steps % 10).toBe(0);
    expect(result.parameters).toBe(60 * 128 + 10);
    expect(result.testError).toBeGreaterThan(0);
  });

  it('runs to the cap when a tiny network cannot fit the noise', async () => {
    const result = await mlpDoubleDescentRun(
      {
        trainSize: 30,
        testSize: 20,
        noiseRate: 0.2,
        poolFactor: 7,
        width: 1,
        member: 0,
        learningRate: 1e-2,
        targetTrainLoss: 0.003,
        maxSteps: 40,
        checkEvery: 20,
      },
      3,
    );
    expect(result.steps).toBe(40);
    expect(result.trainError).toBeGreaterThan(0.2);
    // 16 inputs (7 x 7 pooling), width 1: 17 + 2 x 10.
    expect(result.parameters).toBe(37);
  });
});

describe('doubleDescentNn.sweep', () => {
  it('trains every quick width twice, the widths nearest the threshold first', () => {
    const widths = doubleDescentNn.sweep('quick', 0).map((run) => (run.config as { width: number }).width);
    expect(widths).toHaveLength(26);
    // 60 x 166 + 10 = 9,970 and 60 x 200 + 10 = 12,010 parameters lie nearest 10,000.
    expect(widths.slice(0, 4)).toEqual([166, 166, 200, 200]);
    expect(new Set(widths).size).toBe(13);
  });
});

describe('doubleDescentNn at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', async () => {
    const runs = doubleDescentNn.sweep('smoke', 0);
    expect(runs.every((run) => run.exportName === 'mlpDoubleDescentRun')).toBe(true);
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      const result = await mlpDoubleDescentRun(run.config as never, run.seed);
      results.push({ run, result: JSON.parse(JSON.stringify(result)) });
    }
    const data = doubleDescentNn.assemble(results, 'smoke');
    expect(data.widths.map((width) => width.width)).toEqual([2, 10, 40]);
    expect(data.threshold).toBe(600);
    expect(doubleDescentNn.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(doubleDescentNn.plot(data, 'zh'))).toContain('双下降');
    expect(doubleDescentNn.caption(data, 'en')).toMatch(/n = 60 MNIST digits/);
    expect(doubleDescentNn.caption(data, 'en')).toMatch(/at most 60 steps/);
  });
});
