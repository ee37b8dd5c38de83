import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import { characterLanguageModelRun } from './character-language-model.js';
import {
  type DataScalingData,
  dataScaling,
  dataScalingClaims,
  fitDataScaling,
  largestRelativeRise,
} from './data-scaling.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('largestRelativeRise', () => {
  it('is the largest step up as a share of the range, negative for a curve that always falls', () => {
    expect(largestRelativeRise([3, 2.5, 2.6, 2])).toBeCloseTo(0.1, 12);
    expect(largestRelativeRise([3, 2.5, 2.25, 2])).toBeCloseTo(-0.25, 12);
    expect(largestRelativeRise([2, 2, 2])).toBe(Number.POSITIVE_INFINITY);
  });
});

const sizes = [2048, 4096, 8192, 16384, 32768];

function syntheticData(lossesByWidth: number[][]): DataScalingData {
  return {
    layerCount: 2,
    contextLength: 32,
    batchSize: 32,
    learningRate: 5e-3,
    warmupSteps: 20,
    weightDecay: 0.01,
    maxSteps: 1000,
    evaluateEvery: 25,
    evaluationWindows: 256,
    patience: 4,
    curves: lossesByWidth.map((losses, index) => ({
      modelSize: 8 * 2 ** index,
      parameters: 1000 * 4 ** index,
      nonEmbeddingParameters: 800 * 4 ** index,
      points: losses.map((testLoss, point) => ({
        trainCharacters: sizes[point] ?? 0,
        testLoss,
        bestValidationLoss: testLoss,
        bestStep: 100,
        stepsTaken: 200,
        hitCap: point === losses.length - 1,
        evaluationSteps: [100, 200],
        validationLoss: [testLoss, testLoss + 0.01],
      })),
    })),
  };
}

const powerLaw = (offset: number, amplitude: number, exponent: number) =>
  sizes.map((size) => offset + amplitude * size ** -exponent);

describe('dataScalingClaims', () => {
  it('hold for curves that fall as power laws of D, and recover the exponent', () => {
    const data = syntheticData([powerLaw(2, 3, 0.2), powerLaw(1.5, 4, 0.15), powerLaw(1.1, 3.3, 0.11)]);
    expect(dataScalingClaims(data).map((claim) => [claim.id, claim.holds])).toEqual([
      ['loss-falls-with-data', true],
      ['power-law-fit', true],
      ['positive-exponent', true],
    ]);
    expect(fitDataScaling(data.curves[2]!).exponent).toBeCloseTo(0.11, 2);
  });

  it('fail for a curve that rises, a zigzag largest curve and a rising largest curve', () => {
    const rising = syntheticData([[2.5, 2.4, 2.45, 2.3, 2.2], powerLaw(1.1, 3.3, 0.11)]);
    expect(dataScalingClaims(rising)[0]?.holds).toBe(false);
    const zigzag = dataScalingClaims(syntheticData([[2.5, 2.2, 2.45, 2.15, 2.4]]));
    expect(zigzag[1]?.holds).toBe(false);
    const worse = dataScalingClaims(syntheticData([powerLaw(2, -0.5, 0.2)]));
    expect(worse[0]?.holds).toBe(false);
    expect(worse[2]?.holds).toBe(false);
  });
});

describe('dataScaling at the smoke preset', () => {
  it('runs its sweep, assembles, checks, plots and captions', async () => {
    const runs = dataScaling.sweep('smoke', 0);
    expect(runs).toHaveLength(6);
    // Widest model and largest training set first, so the longest runs start at once.
    expect(runs[0]?.config).toMatchObject({ modelSize: 8, trainCharacters: 1024 });
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      const result = await characterLanguageModelRun(run.config as never, run.seed);
      results.push({ run, result: JSON.parse(JSON.stringify(result)) });
    }
    const data = dataScaling.assemble(results, 'smoke');
    expect(data.curves.map((curve) => curve.modelSize)).toEqual([4, 8]);
    expect(data.curves[0]?.points.map((point) => point.trainCharacters)).toEqual([256, 512, 1024]);
    expect(dataScaling.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(dataScaling.plot(data, 'zh'))).toContain('测试损失');
    expect(dataScaling.caption(data, 'en')).toMatch(/d_model 4, 8/);
  });
});
