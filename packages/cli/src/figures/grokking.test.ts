import { createModularArithmetic } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  type GrokkingData,
  type GrokkingRunResult,
  grokking,
  grokkingClaims,
  grokkingRun,
  grokkingTimes,
  logSpacedSteps,
  pairTensors,
} from './grokking.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('logSpacedSteps', () => {
  it('spaces distinct steps evenly in log from 1 to the last step', () => {
    expect(logSpacedSteps(1000, 4)).toEqual([1, 10, 100, 1000]);
    expect(logSpacedSteps(10, 30)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(logSpacedSteps(1, 5)).toEqual([1]);
  });
});

describe('pairTensors', () => {
  it('puts a and p + b hot and labels the sum mod p', () => {
    const task = createModularArithmetic({ modulus: 5, seed: 2 });
    const indices = Int32Array.from([0, 7, 24]); // (0,0), (1,2), (4,4)
    const { inputs, labels } = pairTensors(task, indices);
    expect(inputs.dtype).toBe('int32');
    expect(inputs.arraySync()).toEqual([
      [0, 5],
      [1, 7],
      [4, 9],
    ]);
    expect(Array.from(labels.dataSync())).toEqual([0, 3, 3]);
    tf.dispose([inputs, labels]);
  });
});

describe('grokkingTimes', () => {
  const steps = [1, 10, 100, 1000];
  it('finds t1 and the first t2 at or after it', () => {
    expect(
      grokkingTimes({
        evaluationSteps: steps,
        trainAccuracy: [0.1, 0.995, 1, 1],
        testAccuracy: [0.96, 0, 0.5, 0.97],
      }),
    ).toEqual({ memorizedStep: 10, generalizedStep: 1000 });
  });
  it('gives null when a threshold is never passed', () => {
    expect(
      grokkingTimes({
        evaluationSteps: steps,
        trainAccuracy: [0, 0.5, 0.9, 0.99],
        testAccuracy: [0, 0, 0, 1],
      }),
    ).toEqual({ memorizedStep: null, generalizedStep: null });
    expect(
      grokkingTimes({ evaluationSteps: steps, trainAccuracy: [0, 1, 1, 1], testAccuracy: [0, 0, 0, 0.9] }),
    ).toEqual({ memorizedStep: 10, generalizedStep: null });
  });
});

function syntheticRun(weightDecay: number, train: number[], test: number[]): GrokkingRunResult {
  return {
    weightDecay,
    evaluationSteps: [1, 10, 100, 1000],
    trainAccuracy: train,
    testAccuracy: test,
    trainLoss: [4, 3, 0.1, 0.01],
    testLoss: [4, 5, 6, 0.1],
    parameterNorm: [40, 45, 35, 20],
  };
}

function syntheticData(withDecay: GrokkingRunResult, withoutDecay: GrokkingRunResult): GrokkingData {
  return {
    modulus: 97,
    trainFraction: 0.5,
    hiddenSize: 256,
    learningRate: 5e-3,
    steps: 1000,
    evaluationCount: 4,
    weightDecay: 1,
    trainPairs: 4705,
    testPairs: 4704,
    seeds: [{ seed: 0, withDecay, withoutDecay }],
  };
}

describe('grokkingClaims', () => {
  const control = syntheticRun(0, [0.1, 0.5, 1, 1], [0, 0, 0.01, 0.02]);
  it('holds for late generalization with decay and none without', () => {
    const data = syntheticData(syntheticRun(1, [0.1, 0.5, 1, 1], [0, 0, 0.01, 0.98]), control);
    const claims = grokkingClaims(data);
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['memorizes', true],
      ['generalizes-later', true],
      ['no-decay-no-grokking', true],
    ]);
    expect(claims[1]?.value).toBe(10);
  });
  it('fails for no memorization, no delay, no generalization, or a control that generalizes', () => {
    const notMemorized = grokkingClaims(
      syntheticData(syntheticRun(1, [0.1, 0.5, 0.9, 0.98], [0, 0, 0.01, 0.98]), control),
    );
    expect(notMemorized.map((claim) => claim.holds)).toEqual([false, false, true]);
    const noDelay = grokkingClaims(
      syntheticData(syntheticRun(1, [0.1, 0.5, 1, 1], [0, 0, 0.97, 0.98]), control),
    );
    expect(noDelay[1]?.holds).toBe(false);
    const neverGeneralizes = grokkingClaims(
      syntheticData(syntheticRun(1, [0.1, 1, 1, 1], [0, 0, 0.3, 0.9]), control),
    );
    expect(neverGeneralizes[1]?.holds).toBe(false);
    const controlGeneralizes = grokkingClaims(
      syntheticData(
        syntheticRun(1, [0.1, 0.5, 1, 1], [0, 0, 0.01, 0.98]),
        syntheticRun(0, [0.1, 0.5, 1, 1], [0, 0, 0.1, 0.4]),
      ),
    );
    expect(controlGeneralizes[2]?.holds).toBe(false);
  });
});

describe('grokkingRun', () => {
  it('records every log-spaced evaluation, learns the training pairs and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const result = grokkingRun(
      {
        modulus: 7,
        trainFraction: 0.5,
        hiddenSize: 32,
        learningRate: 1e-2,
        steps: 100,
        evaluationCount: 3,
        weightDecay: 1,
      },
      1,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(result.evaluationSteps).toEqual([1, 10, 100]);
    expect(result.trainAccuracy.at(-1)).toBe(1);
    expect(result.trainLoss.at(-1)).toBeLessThan(result.trainLoss[0] ?? 0);
    expect(result.parameterNorm.every((norm) => norm > 0)).toBe(true);
  });
});

describe('grokking at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', async () => {
    const runs = grokking.sweep('smoke', 0);
    expect(runs.map((run) => (run.config as { weightDecay: number }).weightDecay)).toEqual([1, 0]);
    const results: FigureRunResult[] = runs.map((run) => ({
      run,
      result: JSON.parse(JSON.stringify(grokkingRun(run.config as never, run.seed))),
    }));
    const data = grokking.assemble(results, 'smoke');
    expect(data.seeds).toHaveLength(1);
    expect(data.trainPairs + data.testPairs).toBe(121);
    expect(grokking.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(grokking.plot(data, 'zh'))).toContain('顿悟');
    expect(grokking.caption(data, 'en')).toMatch(/a \+ b mod 11/);
  });
});
