import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import { flatMinimaRun, type TrainedMinimum } from './flat-minima.js';
import {
  basinArea,
  basinAreaRatios,
  type Landscape2dData,
  landscape2d,
  landscape2dClaims,
} from './landscape-2d.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const coordinates = [-1, -0.5, 0, 0.5, 1];

/** A bowl 0.01 + scale (x^2 + y^2) on the 5 x 5 grid. */
function bowl(scale: number): number[][] {
  return coordinates.map((y) => coordinates.map((x) => 0.01 + scale * (x * x + y * y)));
}

describe('basinArea', () => {
  it('counts the grid points below min + delta times the cell area', () => {
    // scale 1, delta 0.3: the centre and its 4 neighbours (0.25 above the minimum) are inside: 5 * 0.25.
    expect(basinArea(bowl(1), coordinates, 0.3)).toBeCloseTo(1.25, 12);
    // delta 0.6 adds the 4 diagonal points at 0.5: 9 * 0.25.
    expect(basinArea(bowl(1), coordinates, 0.6)).toBeCloseTo(2.25, 12);
    expect(basinArea(bowl(4), coordinates, 0.3)).toBeCloseTo(0.25, 12);
  });
});

function data(scales: Array<[number, number]>): Landscape2dData {
  const minimum = { batchSize: 32 } as TrainedMinimum;
  return {
    lossExamples: 2000,
    delta: 0.3,
    pairs: scales.map(([small, large], seed) => ({
      seed,
      small: minimum,
      large: { ...minimum, batchSize: 2048 },
      coordinates,
      surfaces: { small: bowl(small), large: bowl(large) },
    })),
  };
}

describe('landscape2dClaims', () => {
  it('holds when the small-batch basin is wider at every seed', () => {
    const wide = data([
      [1, 4],
      [0.5, 1],
    ]);
    expect(basinAreaRatios(wide)).toEqual([5, 9 / 5]);
    expect(landscape2dClaims(wide)[0]?.holds).toBe(true);
  });

  it('fails when the basins are equal or the large-batch one is wider', () => {
    expect(landscape2dClaims(data([[1, 1]]))[0]?.holds).toBe(false);
    expect(
      landscape2dClaims(
        data([
          [1, 4],
          [4, 1],
        ]),
      )[0]?.holds,
    ).toBe(false);
  });
});

describe('landscape2d at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', async () => {
    const runs = landscape2d.sweep('smoke', 0);
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      const result = await flatMinimaRun(run.config as never, run.seed);
      results.push({ run, result: JSON.parse(JSON.stringify(result)) });
    }
    const result = landscape2d.assemble(results, 'smoke');
    expect(result.pairs[0]?.surfaces.large).toHaveLength(5);
    expect(landscape2d.claims(result, 'smoke')).toHaveLength(1);
    expect(JSON.stringify(landscape2d.plot(result, 'zh'))).toContain('批量 120');
    expect(landscape2d.caption(result, 'en')).toMatch(/5 x 5 grid/);
  });
});
