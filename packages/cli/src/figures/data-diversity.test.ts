import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  type DataDiversityData,
  type DiversityMemberResult,
  dataDiversity,
  dataDiversityClaims,
  dataDiversityRun,
  dataDiversityViewsRun,
  diversityMembers,
  summarizeDiversity,
  transferMatrix,
  viewsMosaic,
} from './data-diversity.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('diversityMembers', () => {
  it('lists every non-empty subset by size, with extra initializations where a size has few subsets', () => {
    const members = diversityMembers(3, 3);
    expect(members.map((member) => `${member.conditions.join('')}/${member.initialization}`)).toEqual([
      '0/0',
      '1/0',
      '2/0',
      '01/0',
      '02/0',
      '12/0',
      '012/0',
      '012/1',
      '012/2',
    ]);
  });

  it('has C(6, k) subsets of each size for six conditions, and at least six networks per size', () => {
    const members = diversityMembers(6, 6);
    const bySize = [1, 2, 3, 4, 5, 6].map(
      (size) => members.filter((member) => member.conditions.length === size).length,
    );
    expect(bySize).toEqual([6, 15, 20, 15, 6, 6]);
    expect(new Set(members.map((member) => member.conditions.join())).size).toBe(63);
  });
});

function member(conditions: number[], accuracy: number[], initialization = 0): DiversityMemberResult {
  return { conditions, initialization, accuracy, trainAccuracy: 1 };
}

describe('summarizeDiversity', () => {
  it('averages unseen, all and own-condition accuracy per network, then over the networks of each k', () => {
    const levels = summarizeDiversity([
      member([0], [0.9, 0.3, 0.1]),
      member([1], [0.5, 0.8, 0.2]),
      member([0, 1], [0.8, 0.7, 0.3]),
      member([0, 1, 2], [0.7, 0.7, 0.7]),
    ]);
    expect(levels.map((level) => level.k)).toEqual([1, 2, 3]);
    // k = 1: unseen (0.3 + 0.1) / 2 = 0.2 and (0.5 + 0.2) / 2 = 0.35; own 0.9 and 0.8.
    expect(levels[0]?.unseen).toBeCloseTo(0.275, 12);
    expect(levels[0]?.inDistribution).toBeCloseTo(0.85, 12);
    expect(levels[0]?.all).toBeCloseTo((1.3 / 3 + 1.5 / 3) / 2, 12);
    expect([levels[0]?.allLow, levels[0]?.allHigh]).toEqual([1.3 / 3, 1.5 / 3]);
    expect(levels[1]?.unseen).toBeCloseTo(0.3, 12);
    expect(levels[1]?.inDistribution).toBeCloseTo(0.75, 12);
    expect(levels[2]?.unseen).toBeNaN();
    expect(levels[2]?.members).toBe(1);
  });
});

describe('transferMatrix', () => {
  it('puts each single-condition network in the row of its condition, averaging initializations', () => {
    const matrix = transferMatrix(
      [
        member([1], [0.2, 0.8], 0),
        member([1], [0.4, 0.9], 1),
        member([0], [0.9, 0.1]),
        member([0, 1], [1, 1]),
      ],
      2,
    );
    expect(matrix[0]).toEqual([0.9, 0.1]);
    expect(matrix[1]?.[0]).toBeCloseTo(0.3, 12);
    expect(matrix[1]?.[1]).toBeCloseTo(0.85, 12);
  });
});

describe('viewsMosaic', () => {
  it('stacks the views, puts digits side by side and separates them with grey lines', () => {
    const mosaic = viewsMosaic({
      side: 2,
      images: [
        [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ],
        [
          [0, 0, 0, 0],
          [1, 1, 1, 1],
        ],
      ],
    });
    expect(mosaic).toEqual([
      [1, 2, 0.5, 5, 6],
      [3, 4, 0.5, 7, 8],
      [0.5, 0.5, 0.5, 0.5, 0.5],
      [0, 0, 0.5, 1, 1],
      [0, 0, 0.5, 1, 1],
    ]);
  });
});

/** Data with three conditions from per-k accuracies: unseen, own-condition (all follows from them). */
function syntheticData(unseen: [number, number], own: [number, number, number]): DataDiversityData {
  const members = [
    ...[0, 1, 2].map((condition) =>
      member(
        [condition],
        [0, 1, 2].map((tested) => (tested === condition ? own[0] : unseen[0])),
      ),
    ),
    ...[
      [0, 1],
      [0, 2],
      [1, 2],
    ].map((conditions) =>
      member(
        conditions,
        [0, 1, 2].map((tested) => (conditions.includes(tested) ? own[1] : unseen[1])),
      ),
    ),
    member([0, 1, 2], [own[2], own[2], own[2]]),
  ];
  return {
    conditionNames: ['a', 'b', 'c'].map((name) => ({ en: name, zh: name })),
    conditions: [{}, { rotationDegrees: 45 }, { shiftX: 3 }],
    trainSize: 100,
    testSize: 50,
    layerSizes: [49, 16, 10],
    epochs: 1,
    batchSize: 10,
    learningRate: 1e-3,
    members,
    levels: summarizeDiversity(members),
    transfer: transferMatrix(members, 3),
    views: { side: 1, images: [[[0]], [[0.5]], [[1]]] },
  };
}

describe('dataDiversityClaims', () => {
  it('holds when unseen accuracy rises, all-condition accuracy gains 15 points and own accuracy stays within 10', () => {
    // all: k = 1: (0.9 + 2 x 0.3) / 3 = 0.5; k = 3: 0.82.
    const claims = dataDiversityClaims(syntheticData([0.3, 0.5], [0.9, 0.86, 0.82]));
    expect(claims.map((claim) => [claim.id, claim.holds])).toEqual([
      ['unseen-rises', true],
      ['all-conditions-gain', true],
      ['in-distribution-stable', true],
    ]);
    expect(claims[1]?.value).toBeCloseTo(32, 9);
    expect(claims[2]?.value).toBeCloseTo(8, 9);
  });

  it('fails when unseen accuracy falls, the gain is small or own accuracy drops by more than 10 points', () => {
    const falling = dataDiversityClaims(syntheticData([0.5, 0.3], [0.9, 0.86, 0.82]));
    expect(falling.find((claim) => claim.id === 'unseen-rises')?.holds).toBe(false);
    // all at k = 1: (0.9 + 2 x 0.7) / 3 = 0.767; at k = 3: 0.85, a gain of 8.3 points.
    const small = dataDiversityClaims(syntheticData([0.7, 0.8], [0.9, 0.88, 0.85]));
    expect(small.find((claim) => claim.id === 'all-conditions-gain')?.holds).toBe(false);
    const dropping = dataDiversityClaims(syntheticData([0.3, 0.5], [0.95, 0.86, 0.8]));
    expect(dropping.find((claim) => claim.id === 'in-distribution-stable')?.holds).toBe(false);
    expect(dropping.find((claim) => claim.id === 'in-distribution-stable')?.value).toBeCloseTo(15, 9);
  });
});

describe('dataDiversityRun', () => {
  it('trains a batch of networks on their own views, tests each under every condition and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const { members } = await dataDiversityRun(
      {
        conditions: [{}, { rotationDegrees: 90 }],
        trainSize: 100,
        testSize: 50,
        poolFactor: 4,
        hiddenSizes: [32],
        epochs: 40,
        batchSize: 25,
        learningRate: 1e-2,
        members: [
          { conditions: [0], initialization: 0 },
          { conditions: [1], initialization: 0 },
        ],
      },
      5,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(members.map((result) => result.accuracy.length)).toEqual([2, 2]);
    // Each network fits its own training images and does better under its own view than the other.
    for (const [index, result] of members.entries()) {
      expect(result.trainAccuracy).toBeGreaterThan(0.9);
      expect(result.accuracy[index]).toBeGreaterThan((result.accuracy[1 - index] ?? 1) + 0.1);
    }
  });

  it('trains a network the same in any batch of networks', async () => {
    const config = {
      conditions: [{}, { rotationDegrees: 45 }],
      trainSize: 40,
      testSize: 20,
      poolFactor: 7,
      hiddenSizes: [8],
      epochs: 2,
      batchSize: 20,
      learningRate: 1e-2,
    };
    const alone = await dataDiversityRun({ ...config, members: [{ conditions: [1], initialization: 0 }] }, 2);
    const together = await dataDiversityRun(
      {
        ...config,
        members: [
          { conditions: [0, 1], initialization: 0 },
          { conditions: [1], initialization: 0 },
        ],
      },
      2,
    );
    expect(together.members[1]?.accuracy).toEqual(alone.members[0]?.accuracy);
  });
});

describe('dataDiversityViewsRun', () => {
  it('renders the chosen digits under each condition at the pooled size', async () => {
    const views = await dataDiversityViewsRun(
      { conditions: [{}, { brightness: 0.5 }], trainSize: 50, testSize: 50, poolFactor: 2, labels: [4, 7] },
      1,
    );
    expect(views.side).toBe(14);
    expect(views.images.map((digits) => digits.map((image) => image.length))).toEqual([
      [196, 196],
      [196, 196],
    ]);
    // Half the brightness halves every pixel (up to the 3-decimal rounding).
    const bright = views.images[0]?.[0] ?? [];
    const dim = views.images[1]?.[0] ?? [];
    const brightest = bright.indexOf(Math.max(...bright));
    expect(dim[brightest]).toBeCloseTo((bright[brightest] ?? 0) / 2, 2);
  });
});

describe('dataDiversity at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', async () => {
    const runs = dataDiversity.sweep('smoke', 0);
    expect(runs.map((run) => run.exportName)).toEqual([
      'dataDiversityViewsRun',
      'dataDiversityRun',
      'dataDiversityRun',
    ]);
    const results: FigureRunResult[] = [];
    for (const run of runs) {
      const result =
        run.exportName === 'dataDiversityViewsRun'
          ? await dataDiversityViewsRun(run.config as never, run.seed)
          : await dataDiversityRun(run.config as never, run.seed);
      results.push({ run, result: JSON.parse(JSON.stringify(result)) });
    }
    const data = dataDiversity.assemble(results, 'smoke');
    expect(data.members).toHaveLength(7);
    expect(data.levels.map((level) => level.k)).toEqual([1, 2, 3]);
    expect(dataDiversity.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(dataDiversity.plot(data, 'zh'))).toContain('未见过的条件');
    expect(JSON.stringify(dataDiversity.plot(data, 'en'))).toContain('unseen conditions');
    expect(dataDiversity.caption(data, 'en')).toMatch(
      /120 MNIST digits shown under k of 3 viewing conditions/,
    );
  });
});
