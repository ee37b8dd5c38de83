import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import { flatMinimaRun, type TrainedMinimum } from './flat-minima.js';
import {
  type Landscape1dData,
  landscape1d,
  landscape1dClaims,
  lineSummary,
  riseRatios,
  sliceRise,
} from './landscape-1d.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('sliceRise', () => {
  it('averages the rise at -r and +r over t = 0 across directions', () => {
    const coordinates = [-1, -0.5, 0, 0.5, 1];
    // Rises: direction 1 (0.2, 0.4), direction 2 (0.6, 0.8): mean 0.5.
    const curves = [
      [9, 0.3, 0.1, 0.5, 9],
      [9, 0.7, 0.1, 0.9, 9],
    ];
    expect(sliceRise(curves, coordinates, 0.5)).toBeCloseTo(0.5, 12);
    expect(sliceRise(curves, coordinates, 1)).toBeCloseTo(8.9, 12);
    expect(sliceRise(curves, coordinates, 0.25)).toBeNaN();
  });
});

function pair(seed: number, smallScale: number, largeScale: number) {
  const coordinates = [-1, -0.5, 0, 0.5, 1];
  const parabola = (scale: number) => coordinates.map((t) => 0.01 + scale * t * t);
  const minimum = { batchSize: 32 } as TrainedMinimum;
  return {
    seed,
    small: minimum,
    large: { ...minimum, batchSize: 2048 },
    alphas: [0, 1],
    interpolation: {
      trainLoss: [0.01, 0.01],
      trainAccuracy: [1, 1],
      testLoss: [0.2, 0.2],
      testAccuracy: [0.95, 0.94],
    },
    sliceCoordinates: coordinates,
    slices: { small: [parabola(smallScale)], large: [parabola(largeScale)] },
  };
}

describe('lineSummary', () => {
  it('reads both ends of the line and the highest loss strictly between the minima', () => {
    const line = { ...pair(0, 1, 2), alphas: [-1, 0, 0.5, 1, 2] };
    line.interpolation = { ...line.interpolation, trainLoss: [0.3, 0.01, 0.05, 0.02, 9] };
    expect(lineSummary(line)).toEqual({ firstAlpha: -1, first: 0.3, lastAlpha: 2, last: 9, between: 0.05 });
  });
});

describe('landscape1dClaims', () => {
  it('holds when the large-batch valley is at least twice as steep at every seed', () => {
    const data: Landscape1dData = {
      trainSize: 5000,
      testSize: 2000,
      claimRadius: 0.5,
      pairs: [pair(0, 1, 5), pair(1, 1, 2.5)],
    };
    expect(riseRatios(data).map((ratio) => Number(ratio.toFixed(9)))).toEqual([5, 2.5]);
    const [claim] = landscape1dClaims(data);
    expect(claim?.holds).toBe(true);
    expect(claim?.value).toBeCloseTo(2.5, 9);
  });

  it('fails when one seed is less than twice as steep', () => {
    const data: Landscape1dData = {
      trainSize: 5000,
      testSize: 2000,
      claimRadius: 0.5,
      pairs: [pair(0, 1, 5), pair(1, 1, 1.5)],
    };
    expect(landscape1dClaims(data)[0]?.holds).toBe(false);
    expect(landscape1dClaims({ ...data, pairs: [] })[0]?.holds).toBe(false);
  });
});

describe('landscape1d at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', async () => {
    const runs = landscape1d.sweep('smoke', 0);
    expect(runs).toHaveLength(1);
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      const result = await flatMinimaRun(run.config as never, run.seed);
      results.push({ run, result: JSON.parse(JSON.stringify(result)) });
    }
    const data = landscape1d.assemble(results, 'smoke');
    expect(data.claimRadius).toBe(0.5);
    expect(data.pairs[0]?.large.batchSize).toBe(120);
    expect(landscape1d.claims(data, 'smoke')).toHaveLength(1);
    expect(JSON.stringify(landscape1d.plot(data, 'zh'))).toContain('滤波器归一化');
    expect(landscape1d.caption(data, 'en')).toMatch(/batch 8 \(alpha = 0\) and batch 120 \(alpha = 1\)/);
  });
});
