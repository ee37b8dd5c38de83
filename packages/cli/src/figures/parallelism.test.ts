import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  kernelSlope,
  median,
  type ParallelismData,
  type ParallelismPoint,
  parallelism,
  parallelismClaims,
  parallelismLstmWidth,
  parallelismRun,
  speedupAtLongest,
  timeSteps,
} from './parallelism.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });
});

describe('timeSteps', () => {
  it('interleaves the steps in rotating order after an untimed warm-up and reports medians', () => {
    let now = 0;
    let cpu = 0;
    const order: string[] = [];
    const durations: Record<string, number[]> = { a: [100, 7, 3, 5], b: [50, 20, 40, 30] };
    const make = (name: string) => () => {
      const duration = durations[name]?.[order.filter((entry) => entry === name).length] ?? 0;
      order.push(name);
      now += duration;
      cpu += duration / 2;
    };
    const result = timeSteps([make('a'), make('b')], 1, 3, { wall: () => now, cpu: () => cpu });
    expect(order).toEqual(['a', 'b', 'a', 'b', 'b', 'a', 'a', 'b']);
    expect(result).toEqual([
      { wallMs: 5, cpuMs: 2.5 },
      { wallMs: 30, cpuMs: 15 },
    ]);
  });
});

function point(
  model: 'transformer' | 'lstm',
  length: number,
  kernels: number,
  wallMs: number,
): ParallelismPoint {
  return { model, length, kernels, wallMs, cpuMs: wallMs / 2, parameterCount: 1 };
}

function syntheticData(
  lstmKernels: (length: number) => number,
  transformerKernels: (length: number) => number,
  lstmLongestMs: number,
): ParallelismData {
  const lengths = [16, 32, 64, 128, 256, 512];
  return {
    batchSize: 16,
    modelSize: 16,
    headCount: 1,
    timedSteps: 5,
    lstmWidth: 32,
    points: lengths.flatMap((length) => [
      point('transformer', length, transformerKernels(length), length / 10),
      point('lstm', length, lstmKernels(length), length === 512 ? lstmLongestMs : length / 5),
    ]),
  };
}

describe('kernelSlope and speedupAtLongest', () => {
  it('fit the log-log slope from a length on and compare the longest step', () => {
    const data = syntheticData(
      (length) => 70 * length + 300,
      () => 1200,
      102.4,
    );
    const lstm = data.points.filter((entry) => entry.model === 'lstm');
    // 70T + 300 from T = 64: the constant bends the line below slope 1 (4,780 -> 36,140 over 8x is 0.973).
    expect(kernelSlope(lstm, 64)).toBeGreaterThan(0.95);
    expect(kernelSlope(lstm, 64)).toBeLessThan(1);
    expect(kernelSlope([point('lstm', 10, 100, 1), point('lstm', 100, 1000, 1)])).toBeCloseTo(1, 12);
    expect(speedupAtLongest(data)).toEqual({ wall: 2, cpu: 2, length: 512 });
  });
});

describe('parallelismClaims', () => {
  it('hold for linear LSTM kernels, constant Transformer kernels and a faster Transformer', () => {
    const claims = parallelismClaims(
      syntheticData(
        (length) => 70 * length,
        () => 1200,
        200,
      ),
    );
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['lstm-kernels-linear', true],
      ['transformer-kernels-constant', true],
      ['transformer-faster-at-longest', true],
    ]);
  });

  it('fail for sublinear LSTM kernels, growing Transformer kernels and a slower Transformer', () => {
    const claims = parallelismClaims(
      syntheticData(
        (length) => 70 * Math.sqrt(length),
        (length) => 10 * length,
        20,
      ),
    );
    expect(claims.map((claim) => claim.holds)).toEqual([false, false, false]);
  });
});

describe('parallelismLstmWidth', () => {
  it('matches the LSTM to the Transformer without its position table', () => {
    // d_model 32, vocabulary 17: 2 x 12,704 + 64 + 17 x 32 (embedding) + 32 x 17 (head) = 26,560.
    const config = {
      lengths: [4],
      batchSize: 2,
      vocabSize: 17,
      modelSize: 32,
      headCount: 1,
      warmupSteps: 0,
      timedSteps: 1,
    };
    expect(parallelismLstmWidth(config)).toBe(71);
  });
});

describe('parallelism at the smoke preset', () => {
  it('runs its sweep without leaking tensors, assembles, checks and plots', async () => {
    const runs = parallelism.sweep('smoke', 0);
    expect(runs).toHaveLength(1);
    const before = tf.memory().numTensors;
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      results.push({
        run,
        result: JSON.parse(JSON.stringify(await parallelismRun(run.config as never, run.seed))),
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    const data = parallelism.assemble(results, 'smoke');
    expect(data.points).toHaveLength(4);
    // The step-by-step LSTM executes more kernels for a longer sequence; the Transformer the same number.
    const kernels = (model: string, length: number) =>
      data.points.find((entry) => entry.model === model && entry.length === length)?.kernels ?? 0;
    expect(kernels('lstm', 8)).toBeGreaterThan(kernels('lstm', 4));
    expect(kernels('transformer', 8)).toBe(kernels('transformer', 4));
    expect(parallelism.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(parallelism.plot(data, 'zh'))).toContain('内核');
    expect(parallelism.caption(data, 'en')).toMatch(/tf\.profile/);
  });
});
