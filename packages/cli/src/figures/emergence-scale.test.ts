import { createAdditionProblems } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  additionTensors,
  type EmergenceScaleData,
  type EmergenceScaleRunResult,
  emergenceScale,
  emergenceScaleClaims,
  emergenceScaleRun,
  independentExactMatch,
  jumpRatio,
  steepestStep,
  summarizeSizes,
} from './emergence-scale.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('additionTensors', () => {
  it('shifts the tokens by one and scores only the answer digits', () => {
    const problems = createAdditionProblems({ digits: 2, count: 1, seed: 4 });
    const { inputs, targets } = additionTensors(problems);
    const tokens = Array.from(problems.tokens); // a a + b b = c c c
    expect(inputs.arraySync()[0]).toEqual(tokens.slice(0, 8));
    expect(targets.arraySync()[0]).toEqual([-1, -1, -1, -1, -1, ...tokens.slice(6)]);
    const sum = (problems.left[0] ?? 0) + (problems.right[0] ?? 0);
    expect(tokens.slice(6).join('')).toBe(String(sum).padStart(3, '0'));
    tf.dispose([inputs, targets]);
  });
});

describe('independentExactMatch and jumpRatio', () => {
  it('multiplies the position accuracies', () => {
    expect(independentExactMatch([1, 0.5, 0.8])).toBeCloseTo(0.4, 12);
  });
  it('finds the narrowest jump from below 10% to above 80%', () => {
    const runs = [
      { parameters: 1000, exactMatch: 0.01 },
      { parameters: 2000, exactMatch: 0.05 },
      { parameters: 5000, exactMatch: 0.5 },
      { parameters: 7000, exactMatch: 0.85 },
      { parameters: 9000, exactMatch: 0.99 },
    ];
    expect(jumpRatio(runs)).toBeCloseTo(3.5, 12);
    expect(jumpRatio(runs.map((run) => ({ ...run, exactMatch: run.exactMatch * 0.5 })))).toBeNaN();
  });
});

function syntheticRun(
  parameters: number,
  positionAccuracy: number[],
  crossEntropy: number,
): EmergenceScaleRunResult {
  return {
    modelSize: parameters / 1000,
    parameters,
    exactMatch: independentExactMatch(positionAccuracy),
    positionAccuracy,
    digitAccuracy: positionAccuracy.reduce((sum, value) => sum + value, 0) / positionAccuracy.length,
    tokenCrossEntropy: crossEntropy,
    lossSteps: [1],
    loss: [crossEntropy],
  };
}

function syntheticData(runs: EmergenceScaleRunResult[]): EmergenceScaleData {
  return {
    digits: 4,
    layerCount: 2,
    headCount: 4,
    steps: 1000,
    batchSize: 128,
    learningRate: 3e-3,
    weightDecay: 0.01,
    testCount: 2000,
    linearInit: 'fan-in-uniform',
    runs,
    sizes: summarizeSizes(runs),
  };
}

describe('summarizeSizes', () => {
  it('averages each width over its seeds, smallest first', () => {
    const sizes = summarizeSizes([
      syntheticRun(4000, [1, 0.5], 1),
      syntheticRun(2000, [0.5, 0.5], 2),
      { ...syntheticRun(4000, [1, 0.7], 0.5), exactMatch: 0.6 },
    ]);
    expect(sizes.map((size) => [size.parameters, size.seeds])).toEqual([
      [2000, 1],
      [4000, 2],
    ]);
    expect(sizes[1]?.exactMatch).toBeCloseTo(0.55, 12);
    expect(sizes[1]?.exactMatchRange).toEqual([0.5, 0.6]);
    expect(sizes[1]?.positionAccuracy[1]).toBeCloseTo(0.6, 12);
    expect(sizes[1]?.tokenCrossEntropy).toBeCloseTo(0.75, 12);
  });
});

describe('steepestStep', () => {
  it('finds the neighbouring widths with the largest rise in exact match', () => {
    const sizes = summarizeSizes([
      syntheticRun(1000, [0.5, 0.1], 1),
      syntheticRun(2000, [0.6, 0.2], 0.9),
      syntheticRun(4000, [1, 0.9], 0.1),
      syntheticRun(8000, [1, 1], 0.01),
    ]);
    const step = steepestStep(sizes);
    expect([step?.from.parameters, step?.to.parameters]).toEqual([2000, 4000]);
    expect(steepestStep(sizes.slice(0, 1))).toBeUndefined();
  });
});

describe('emergenceScaleClaims', () => {
  const good = [
    syntheticRun(2000, [0.9, 0.5, 0.1, 0.1, 0.1], 1.6),
    syntheticRun(7000, [1, 0.9, 0.4, 0.2, 0.1], 1.2),
    syntheticRun(15000, [1, 1, 1, 0.95, 0.9], 0.3),
    syntheticRun(30000, [1, 1, 1, 1, 0.99], 0.05),
  ];
  it('holds for a sharp jump, falling cross-entropy and the product identity', () => {
    expect(emergenceScaleClaims(syntheticData(good)).map((claim) => [claim.id, claim.holds])).toEqual([
      ['sharp-jump', true],
      ['cross-entropy-falls', true],
      ['product-of-positions', true],
    ]);
  });
  it('fails for a slow rise, rising cross-entropy and correlated position errors', () => {
    const slow = syntheticData([good[0]!, { ...good[3]!, parameters: 9000 }]); // 4.5x apart
    expect(emergenceScaleClaims(slow)[0]?.holds).toBe(false);
    const rising = good.map((run, index) => ({ ...run, tokenCrossEntropy: [1, 0.5, 0.7, 0.9][index] ?? 0 }));
    expect(emergenceScaleClaims(syntheticData(rising))[1]?.holds).toBe(false);
    const correlated = good.map((run) => ({ ...run }));
    correlated[2] = { ...correlated[2]!, exactMatch: 0.9 }; // product of its positions is 0.855
    expect(emergenceScaleClaims(syntheticData(correlated))[2]?.holds).toBe(false);
  });
});

describe('emergenceScaleRun', () => {
  it('scores every answer position and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const result = emergenceScaleRun(
      {
        digits: 1,
        layerCount: 1,
        headCount: 1,
        steps: 3,
        batchSize: 8,
        learningRate: 3e-3,
        weightDecay: 0.01,
        testCount: 20,
        linearInit: 'fan-in-uniform',
        modelSize: 4,
      },
      2,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(result.positionAccuracy).toHaveLength(2);
    expect(result.exactMatch).toBeLessThanOrEqual(Math.min(...result.positionAccuracy));
    expect(result.tokenCrossEntropy).toBeGreaterThan(0);
    expect(result.loss).toHaveLength(3);
  });
});

describe('emergenceScale at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', () => {
    const runs = emergenceScale.sweep('smoke', 0);
    const results: FigureRunResult[] = runs.map((run) => ({
      run,
      result: JSON.parse(JSON.stringify(emergenceScaleRun(run.config as never, run.seed))),
    }));
    const data = emergenceScale.assemble(results, 'smoke');
    expect(data.runs.map((run) => run.modelSize)).toEqual([4, 8]);
    expect(emergenceScale.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(emergenceScale.plot(data, 'zh'))).toContain('精确匹配');
    expect(emergenceScale.caption(data, 'en')).toMatch(/2-digit additions/);
  });
});
