import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AttentionMapData,
  attentionMap,
  attentionMapClaims,
  headSummaries,
  mapAxisLabels,
  meanWeightAfterKey,
  someHeadFindsKey,
} from './attention-map.js';
import {
  type LongRangeRunConfig,
  longestTransformerRun,
  longRangeRun,
  type ProbedExample,
} from './long-range-run.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const examples: ProbedExample[] = [
  { key: 1, query: 3, argmax: [1, 0], keyWeight: [0.9, 0.2] },
  { key: 0, query: 3, argmax: [2, 0], keyWeight: [0.1, 0.7] },
  { key: 2, query: 3, argmax: [3, 3], keyWeight: [0.2, 0.1] },
];

describe('headSummaries and someHeadFindsKey', () => {
  it('count, per head and over heads, the examples whose query attention peaks on the key', () => {
    const [first, second] = headSummaries(examples, 1, 2);
    expect(first).toEqual({ layer: 0, head: 0, keyShare: 1 / 3, meanKeyWeight: expect.closeTo(0.4, 12) });
    expect(second).toEqual({ layer: 0, head: 1, keyShare: 1 / 3, meanKeyWeight: expect.closeTo(1 / 3, 12) });
    expect(headSummaries(examples, 2, 1)[1]).toMatchObject({ layer: 1, head: 0 });
    // Example 1 through head 0, example 2 through head 1, example 3 through neither.
    expect(someHeadFindsKey(examples)).toBeCloseTo(2 / 3, 12);
    expect(someHeadFindsKey([])).toBeNaN();
  });
});

function dataWith(probed: ProbedExample[]): AttentionMapData {
  return {
    distance: 64,
    length: 80,
    symbols: 8,
    accuracy: 1,
    steps: 175,
    layerCount: 1,
    headCount: 2,
    examples: probed,
    heads: headSummaries(probed, 1, 2),
    map: { layer: 0, head: 0, key: 1, query: 3, tokens: [0, 9, 2, 16], weights: [[1], [0.5, 0.5]] },
  };
}

describe('mapAxisLabels and meanWeightAfterKey', () => {
  it('label the key, the query and uncrowded tens, and average the key column below the key', () => {
    const tokens = [5, 11, 2, 0, 1, 4, 7, 6, 5, 3, 2, 1, 0, 16];
    expect(mapAxisLabels(tokens, 1, 13, 8)).toEqual([
      '',
      'K3',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '?',
    ]);
    const longer = [...tokens.slice(0, 13), 2, 4, 16];
    // Position 10 is 5 from the query at 15 now, so it is labelled.
    expect(mapAxisLabels(longer, 1, 15, 8)[10]).toBe('10');
    const map = {
      layer: 0,
      head: 0,
      key: 1,
      query: 3,
      tokens: [0, 9, 2, 16],
      weights: [[1], [0.5, 0.5], [0.1, 0.8, 0.1], [0, 0.6, 0.2, 0.2]],
    };
    expect(meanWeightAfterKey(map)).toBeCloseTo(0.7, 12);
    expect(meanWeightAfterKey({ ...map, key: 3 })).toBeNaN();
  });
});

describe('attentionMapClaims', () => {
  it('holds when some head finds the key in >= 90% of examples and fails below', () => {
    const found = Array.from(
      { length: 10 },
      (_, index): ProbedExample => ({
        key: index,
        query: index + 4,
        argmax: [index, index + 4],
        keyWeight: [0.95, 0],
      }),
    );
    expect(attentionMapClaims(dataWith(found))[0]?.holds).toBe(true);
    const missed = found.map((example, index) =>
      index < 2 ? { ...example, argmax: [example.query, example.query] } : example,
    );
    const [claim] = attentionMapClaims(dataWith(missed));
    expect(claim?.value).toBeCloseTo(0.8, 12);
    expect(claim?.holds).toBe(false);
  });
});

describe('attentionMap at the smoke preset', () => {
  it('sweeps the long-range Transformer at the largest d, assembles, checks and plots', () => {
    const runs = attentionMap.sweep('smoke', 3);
    expect(runs).toEqual([longestTransformerRun('smoke', 3)]);
    const [run] = runs;
    const result = JSON.parse(JSON.stringify(longRangeRun(run!.config as LongRangeRunConfig, run!.seed)));
    const data = attentionMap.assemble([{ run: run!, result }], 'smoke');
    expect(data.distance).toBe(4);
    expect(data.heads).toHaveLength(data.layerCount * data.headCount);
    expect(data.map.weights).toHaveLength(data.map.query + 1);
    expect(attentionMap.claims(data, 'smoke')).toHaveLength(1);
    const spec = JSON.stringify(attentionMap.plot(data, 'en'));
    expect(spec).toContain('query position');
    expect(JSON.stringify(attentionMap.plot(data, 'zh'))).toContain('注意力权重');
    expect(attentionMap.caption(data, 'en')).toMatch(/held-out sequences/);
  });
});
