import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  describeFall,
  type LongRangeData,
  type LongRangePoint,
  longRange,
  longRangeClaims,
} from './long-range.js';
import {
  type LongRangeModel,
  type LongRangeRunConfig,
  longestTransformerRun,
  longRangeRun,
} from './long-range-run.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function point(model: LongRangeModel, distance: number, accuracy: number): LongRangePoint {
  return { model, distance, length: distance + 16, accuracy, steps: 600, parameterCount: 26_000 };
}

function syntheticData(accuracies: Record<LongRangeModel, number[]>, contrastAccuracy = 1): LongRangeData {
  const distances = [4, 8, 16, 32, 64];
  return {
    symbols: 8,
    modelSize: 32,
    headCount: 4,
    batchSize: 32,
    learningRate: 1e-3,
    maxSteps: 600,
    checkEvery: 25,
    targetAccuracy: 0.99,
    testSize: 512,
    matchedParameters: 26_560,
    points: (Object.keys(accuracies) as LongRangeModel[]).flatMap((model) =>
      distances.map((distance, index) => point(model, distance, accuracies[model][index] ?? 0)),
    ),
    contrast: { ...point('gru', 64, contrastAccuracy), steps: 425 },
    contrastLearningRate: 3e-3,
  };
}

describe('longRangeClaims', () => {
  it('hold for a flat Transformer and RNNs that fall to chance', () => {
    const claims = longRangeClaims(
      syntheticData({
        transformer: [1, 1, 1, 0.99, 0.97],
        rnn: [1, 0.3, 0.13, 0.12, 0.14],
        lstm: [1, 1, 0.4, 0.12, 0.13],
        gru: [1, 1, 0.5, 0.2, 0.7],
      }),
    );
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['transformer-every-distance', true],
      ['rnn-at-chance', true],
      ['every-rnn-below-transformer', true],
    ]);
    expect(claims[0]?.value).toBe(0.97);
    expect(claims[1]?.value).toBeCloseTo(0.015, 12);
    expect(claims[2]?.value).toBeCloseTo(0.27, 12);
  });

  it('fail for a Transformer dip, an RNN above chance and a GRU that keeps up', () => {
    const claims = longRangeClaims(
      syntheticData({
        transformer: [1, 1, 0.9, 1, 1],
        rnn: [1, 1, 0.8, 0.5, 0.4],
        lstm: [1, 1, 0.2, 0.12, 0.13],
        gru: [1, 1, 1, 1, 0.85],
      }),
    );
    expect(claims.map((claim) => claim.holds)).toEqual([false, false, false]);
    expect(claims[2]?.value).toBeCloseTo(0.15, 12);
  });
});

describe('longRange caption', () => {
  const accuracies = {
    transformer: [1, 1, 1, 1, 1],
    rnn: [1, 0.12, 0.13, 0.11, 0.13],
    lstm: [1, 0.6, 0.13, 0.11, 0.14],
    gru: [1, 0.99, 1, 1, 0.16],
  };

  it('reports the GRU at the contrast learning rate, and says what its success means only when it learned', () => {
    const learned = longRange.caption(syntheticData(accuracies, 1), 'en');
    expect(learned).toContain('with Adam at 0.003 instead of 0.001 reaches 100% after 425 steps');
    expect(learned).toContain('a gated cell can hold one marked key');
    const failed = longRange.caption(syntheticData(accuracies, 0.3), 'en');
    expect(failed).toContain('reaches 30% after 425 steps (the separate point).');
    expect(failed).not.toContain('a gated cell can hold');
    expect(longRange.caption(syntheticData(accuracies, 1), 'zh')).toContain('学习率 0.003');
  });
});

describe('describeFall', () => {
  it('tells a cliff from a slow decline, a dip and no fall at all', () => {
    const curve = (values: number[]) =>
      values.map((accuracy, index) => point('rnn', 4 * 2 ** index, accuracy));
    expect(describeFall(curve([1, 1, 0.13, 0.12]), 0.125)).toEqual({
      lastHigh: 8,
      firstChance: 16,
      cliff: true,
      dips: [],
    });
    expect(describeFall(curve([1, 0.7, 0.4, 0.2]), 0.125)).toEqual({
      lastHigh: 4,
      firstChance: 32,
      cliff: false,
      dips: [],
    });
    // Failed at d = 8, learned d = 16, chance beyond: the fall is judged from the last success.
    expect(describeFall(curve([1, 0.11, 1, 0.1, 0.13]), 0.125)).toEqual({
      lastHigh: 16,
      firstChance: 32,
      cliff: true,
      dips: [8],
    });
    expect(describeFall(curve([1, 1, 0.95, 0.99]), 0.125)).toEqual({
      lastHigh: 32,
      firstChance: null,
      cliff: false,
      dips: [],
    });
  });
});

describe('longRange at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots; attention-map sweeps its longest Transformer run', async () => {
    const runs = longRange.sweep('smoke', 0);
    expect(runs).toHaveLength(9);
    expect(runs[8]?.config).toMatchObject({ model: 'gru', distance: 4, learningRate: 3e-3 });
    expect(runs).toContainEqual(longestTransformerRun('smoke', 0));
    const results: FigureRunResult[] = runs.map((run) => ({
      run,
      result: JSON.parse(JSON.stringify(longRangeRun(run.config as LongRangeRunConfig, run.seed))),
    }));
    const data = longRange.assemble(results, 'smoke');
    expect(data.points.map((entry) => `${entry.model}-${entry.distance}`)).toEqual([
      'transformer-2',
      'transformer-4',
      'rnn-2',
      'rnn-4',
      'lstm-2',
      'lstm-4',
      'gru-2',
      'gru-4',
    ]);
    expect(data.contrast).toMatchObject({ model: 'gru', distance: 4 });
    expect(longRange.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(longRange.plot(data, 'zh'))).toContain('随机水平');
    expect(longRange.caption(data, 'en')).toMatch(/at most 4 steps each/);
  });
});
