import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import { flatMinimaRun, type TrainedMinimum } from './flat-minima.js';
import {
  meanOverSeeds,
  type SharpnessBatchData,
  sharpnessBatch,
  sharpnessBatchClaims,
} from './sharpness-batch.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function minimum(batchSize: number, topEigenvalue: number, testAccuracy: number): TrainedMinimum {
  return {
    batchSize,
    epochs: 10,
    steps: 100,
    finalTrainLoss: 0.009,
    reachedTarget: true,
    trainAccuracy: 1,
    testAccuracy,
    testLoss: 0.2,
    topEigenvalue,
    hessianProducts: 12,
    epsilonSharpness: topEigenvalue / 5,
  };
}

/** Two seeds at batch sizes 32 ... 2048 with the given eigenvalues and test accuracies (same for both seeds, plus an offset). */
function syntheticData(eigenvalues: number[], accuracies: number[]): SharpnessBatchData {
  const batchSizes = [32, 128, 512, 2048];
  return {
    batchSizes,
    trainSize: 5000,
    testSize: 2000,
    layerSizes: [196, 128, 128, 10],
    targetLoss: 0.01,
    epochCap: 600,
    hessianExamples: 2000,
    powerIterations: 20,
    epsilon: 1e-3,
    optimizer: { kind: 'sgd', learningRate: 0.05, momentum: 0.9 },
    seeds: [0, 1].map((seed) => ({
      seed,
      minima: batchSizes.map((batchSize, index) =>
        minimum(batchSize, (eigenvalues[index] ?? 0) + seed, (accuracies[index] ?? 0) - seed * 0.002),
      ),
    })),
  };
}

describe('meanOverSeeds', () => {
  it('averages each batch size over seeds', () => {
    const data = syntheticData([1, 2, 4, 8], [0.96, 0.95, 0.95, 0.94]);
    expect(meanOverSeeds(data, (m) => m.topEigenvalue)).toEqual([1.5, 2.5, 4.5, 8.5]);
    expect(meanOverSeeds(data, (m) => m.testAccuracy)[0]).toBeCloseTo(0.959, 12);
  });
});

describe('sharpnessBatchClaims', () => {
  it('holds when sharpness rises with the batch and the largest batch tests worse', () => {
    const claims = sharpnessBatchClaims(syntheticData([0.5, 1.9, 4.4, 6.8], [0.963, 0.955, 0.945, 0.934]));
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['sharpness-rises-with-batch', true],
      ['large-batch-generalizes-worse', true],
    ]);
    expect(claims[0]?.value).toBeCloseTo(1, 12);
    expect(claims[1]?.value).toBeCloseTo(2.9, 9);
  });

  it('fails for unordered sharpness and a drop under half a point', () => {
    const claims = sharpnessBatchClaims(syntheticData([4, 1, 6, 2], [0.95, 0.95, 0.95, 0.947]));
    expect(claims.map((claim) => claim.holds)).toEqual([false, false]);
    expect(claims[1]?.value).toBeCloseTo(0.3, 9);
  });
});

describe('sharpnessBatch at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', async () => {
    const runs = sharpnessBatch.sweep('smoke', 0);
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      const result = await flatMinimaRun(run.config as never, run.seed);
      results.push({ run, result: JSON.parse(JSON.stringify(result)) });
    }
    const data = sharpnessBatch.assemble(results, 'smoke');
    expect(data.seeds[0]?.minima.map((m) => m.batchSize)).toEqual([8, 32, 120]);
    expect(sharpnessBatch.claims(data, 'smoke')).toHaveLength(2);
    expect(JSON.stringify(sharpnessBatch.plot(data, 'zh'))).toContain('尖锐度');
    expect(sharpnessBatch.caption(data, 'en')).toMatch(/49-16-10 ReLU MLP trained on 120 MNIST digits/);
    expect(sharpnessBatch.caption(data, 'en')).toMatch(/stopped at the 2-epoch cap/);
  });
});
