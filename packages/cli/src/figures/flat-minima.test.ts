import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  collectLandscapes,
  collectMinima,
  describeOptimizer,
  evenlySpaced,
  type FlatMinimaResult,
  type FlatMinimaRunConfig,
  flatMinimaRun,
  flatMinimaRuns,
  flatMinimaSetups,
  type TrainedMinimum,
} from './flat-minima.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evenlySpaced', () => {
  it('includes both ends and an exact zero', () => {
    expect(evenlySpaced(-1, 2, 4)).toEqual([-1, 0, 1, 2]);
    expect(evenlySpaced(-1, 1, 21)[10]).toBe(0);
    expect(evenlySpaced(-1, 1, 21)[15]).toBe(0.5);
    expect(evenlySpaced(3, 5, 1)).toEqual([3]);
  });
});

describe('describeOptimizer', () => {
  it('names the optimizer and its settings in both languages', () => {
    const optimizer = { kind: 'sgd', learningRate: 0.05, momentum: 0.9 } as const;
    expect(describeOptimizer(optimizer, 'en')).toBe('SGD (lr 0.05, momentum 0.9)');
    expect(describeOptimizer(optimizer, 'zh')).toBe('SGD（学习率 0.05，动量 0.9）');
  });
});

describe('flatMinimaRuns', () => {
  it('puts the small/large pair with its landscape first and shares it with the landscape figures', () => {
    const all = flatMinimaRuns('quick', 7, 'all');
    expect(all.map((run) => (run.config as FlatMinimaRunConfig).batchSizes)).toEqual([
      [32, 2048],
      [128],
      [512],
    ]);
    expect(all[0]?.config.landscape).toBeDefined();
    expect(all[1]?.config.landscape).toBeUndefined();
    expect(all.every((run) => run.seed === 7 && run.exportName === 'flatMinimaRun')).toBe(true);
    // The same export, config and seed: the sweep cache trains the pair once for all three figures.
    expect(flatMinimaRuns('quick', 7, 'landscape')).toEqual([all[0]]);
  });

  it('runs every seed at full', () => {
    const seeds = flatMinimaSetups.full.seeds;
    expect(seeds).toBeGreaterThanOrEqual(2);
    expect(flatMinimaRuns('full', 0, 'all')).toHaveLength(seeds * 3);
  });
});

function minimum(batchSize: number): TrainedMinimum {
  return {
    batchSize,
    epochs: 1,
    steps: 1,
    finalTrainLoss: 0.01,
    reachedTarget: true,
    trainAccuracy: 1,
    testAccuracy: 0.9,
    testLoss: 0.3,
    topEigenvalue: batchSize,
    hessianProducts: 5,
    epsilonSharpness: 1,
  };
}

describe('collectMinima', () => {
  it('groups by seed and sorts by batch size', () => {
    const result = (batchSizes: number[], seed: number): FigureRunResult => ({
      run: { task: '', exportName: 'flatMinimaRun', config: {}, seed },
      result: { minima: batchSizes.map(minimum) } satisfies FlatMinimaResult,
    });
    const collected = collectMinima([
      result([32, 2048], 1),
      result([32, 2048], 0),
      result([128], 0),
      result([512], 1),
    ]);
    expect(collected.map(({ seed, minima }) => [seed, minima.map((m) => m.batchSize)])).toEqual([
      [0, [32, 128, 2048]],
      [1, [32, 512, 2048]],
    ]);
    expect(collectLandscapes([result([128], 0)])).toEqual([]);
  });
});

describe('flatMinimaRun', () => {
  it('trains, measures and draws landscapes that agree with the minima, without leaking tensors', async () => {
    const setup = flatMinimaSetups.smoke;
    const config: FlatMinimaRunConfig = { ...setup.base, batchSizes: [8, 120], landscape: setup.landscape };
    const before = tf.memory().numTensors;
    const { minima, landscape } = await flatMinimaRun(config, 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(minima.map((m) => m.batchSize)).toEqual([8, 120]);
    const [small, large] = minima as [TrainedMinimum, TrainedMinimum];
    expect(small.steps).toBe(2 * 15);
    expect(large.steps).toBe(2);
    expect(small.reachedTarget).toBe(false);
    for (const m of minima) {
      expect(Number.isFinite(m.topEigenvalue)).toBe(true);
      expect(m.hessianProducts).toBeLessThanOrEqual(setup.base.powerIterations);
      expect(m.epsilonSharpness).toBeGreaterThanOrEqual(0);
    }
    // The interpolation passes through both minima, and each slice through its minimum.
    expect(landscape?.alphas).toEqual([-1, 0, 1, 2]);
    expect(landscape?.interpolation.trainLoss[1]).toBeCloseTo(small.finalTrainLoss, 4);
    expect(landscape?.interpolation.trainLoss[2]).toBeCloseTo(large.finalTrainLoss, 4);
    expect(landscape?.interpolation.testAccuracy[2]).toBeCloseTo(large.testAccuracy, 4);
    expect(landscape?.slices.small).toHaveLength(setup.landscape.sliceDirections);
    for (const curve of landscape?.slices.large ?? []) expect(curve[2]).toBeCloseTo(large.finalTrainLoss, 4);
    expect(landscape?.surfaces.small).toHaveLength(5);
    expect(landscape?.surfaces.small[0]).toHaveLength(5);
  });

  it('omits the landscape for a single batch size', async () => {
    const { base } = flatMinimaSetups.smoke;
    const result = await flatMinimaRun({ ...base, batchSizes: [32] }, 0);
    expect(result.landscape).toBeUndefined();
    expect(result.minima).toHaveLength(1);
  });
});
