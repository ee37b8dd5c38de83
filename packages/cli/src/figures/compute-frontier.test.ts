import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import { characterLanguageModelRun } from './character-language-model.js';
import {
  type ComputeCurve,
  type ComputeFrontierData,
  computeFrontier,
  computeFrontierClaims,
  frontierGaps,
  lossAtCompute,
  lowerEnvelope,
} from './compute-frontier.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function curve(modelSize: number, compute: number[], loss: number[]): ComputeCurve {
  return { modelSize, nonEmbeddingParameters: modelSize * 100, steps: compute.length, compute, loss };
}

describe('lossAtCompute', () => {
  it('interpolates linearly in log-log space and is NaN outside the curve', () => {
    const line = curve(4, [1, 100, 1000], [4, 1, 1]);
    expect(lossAtCompute(line, 10)).toBeCloseTo(2, 12);
    expect(lossAtCompute(line, 100)).toBe(1);
    expect(lossAtCompute(line, 1)).toBe(4);
    expect(lossAtCompute(line, 500)).toBeCloseTo(1, 12);
    expect(lossAtCompute(line, 0.5)).toBeNaN();
    expect(lossAtCompute(line, 2000)).toBeNaN();
  });
});

describe('lowerEnvelope and frontierGaps', () => {
  // A small model that is cheap and saturates at 2, a large one that starts later and keeps falling.
  const small = curve(4, [1, 10, 100], [3, 2, 2]);
  const large = curve(8, [10, 100, 1000], [4, 1, 0.5]);

  it('take the lowest curve at each compute and the width that has it', () => {
    const frontier = lowerEnvelope([small, large], { from: 1, points: 4 });
    [1, 10, 100, 1000].forEach((compute, index) => {
      expect(frontier[index]?.compute).toBeCloseTo(compute, 9);
      expect(frontier[index]?.loss).toBeCloseTo([3, 2, 1, 0.5][index] ?? 0, 9);
    });
    expect(frontier.map((point) => point.modelSize)).toEqual([4, 4, 8, 8]);
    expect(frontier[2]?.nonEmbeddingParameters).toBe(800);
  });

  it('measure how far each curve ends above the lowest loss at its last compute', () => {
    // small ends at compute 100 with loss 2, where large has 1: 100% above; large ends on the frontier.
    expect(frontierGaps([small, large])).toEqual([1, 0]);
  });
});

/** Curves L = floor + 2 sqrt(cost / C) at log-spaced compute: larger models cost more per step, saturate lower. */
function syntheticData(stepsOf: (index: number) => number): ComputeFrontierData {
  const curves = [0, 1, 2, 3, 4].map((index) => {
    const costPerStep = 1e6 * 2 ** index;
    const floor = 2.4 - 0.1 * index;
    const steps = stepsOf(index);
    const measured = Array.from({ length: 30 }, (_, point) => Math.round(steps ** (point / 29)));
    return {
      modelSize: 4 + 4 * index,
      nonEmbeddingParameters: 500 * 2 ** index,
      steps,
      compute: measured.map((step) => step * costPerStep),
      loss: measured.map((step) => floor + 2 / Math.sqrt(step)),
    };
  });
  const training = {
    layerCount: 2,
    contextLength: 32,
    batchSize: 32,
    learningRate: 1e-2,
    warmupSteps: 20,
    weightDecay: 0.01,
    evaluationCount: 30,
    evaluationWindows: 256,
    frontierFromStep: 100,
    frontierPoints: 40,
  };
  return { ...training, curves, frontier: lowerEnvelope(curves, { from: 1e7, points: 40 }) };
}

describe('computeFrontierClaims', () => {
  it('hold when larger models take over as compute grows and smaller ones saturate above them', () => {
    const claims = computeFrontierClaims(syntheticData((index) => 20_000 / 2 ** index));
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['frontier-power-law', true],
      ['optimal-size-grows', true],
      ['smallest-above-frontier', true],
      ['others-above-frontier', true],
    ]);
  });

  it('fail when every model stops before a larger one overtakes it', () => {
    // Equal short runs: each model ends before the compute where the next one catches up.
    const claims = computeFrontierClaims(syntheticData(() => 30));
    expect(claims.find((claim) => claim.id === 'smallest-above-frontier')?.holds).toBe(false);
    expect(claims.find((claim) => claim.id === 'others-above-frontier')?.holds).toBe(false);
  });

  it('fail when the smallest model is best at every compute', () => {
    const data = syntheticData((index) => 20_000 / 2 ** index);
    for (const entry of data.curves.slice(1)) entry.loss = entry.loss.map((loss) => loss + 1);
    data.frontier = lowerEnvelope(data.curves, { from: 1e7, points: 40 });
    const claims = computeFrontierClaims(data);
    expect(claims.find((claim) => claim.id === 'optimal-size-grows')?.holds).toBe(false);
  });
});

describe('computeFrontier at the smoke preset', () => {
  it('runs its sweep, assembles, checks, plots and captions', async () => {
    const runs = computeFrontier.sweep('smoke', 0);
    expect(runs.map((run) => run.config.modelSize)).toEqual([8, 6, 4]);
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      const result = await characterLanguageModelRun(run.config as never, run.seed);
      results.push({ run, result: JSON.parse(JSON.stringify(result)) });
    }
    const data = computeFrontier.assemble(results, 'smoke');
    expect(data.curves.map((entry) => entry.modelSize)).toEqual([4, 6, 8]);
    expect(data.frontier.length).toBeGreaterThan(0);
    expect(computeFrontier.claims(data, 'smoke')).toHaveLength(4);
    expect(JSON.stringify(computeFrontier.plot(data, 'zh'))).toContain('计算最优');
    expect(computeFrontier.caption(data, 'en')).toMatch(/d_model \(steps\) 4 \(8\), 6 \(6\), 8 \(4\)/);
  });
});
