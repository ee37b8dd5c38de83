import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  argmaxOf,
  bestHead,
  type LongRangeRunConfig,
  longRangeRun,
  longRangeRunConfig,
  longRangeSetups,
  recallTargets,
  transformerParametersWithoutPositions,
} from './long-range-run.js';
import { matchedHiddenSize } from './matched-hidden-size.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('recallTargets and longRangeRunConfig', () => {
  it('score only the query position, and make sequences of length 2d (FIGURES.md)', () => {
    expect(Array.from(recallTargets(Int32Array.of(2, 1), Int32Array.of(5, 7), 3))).toEqual([
      -1, -1, 5, -1, 7, -1,
    ]);
    expect(longRangeRunConfig(longRangeSetups.quick, 'gru', 64).length).toBe(128);
    expect(longRangeRunConfig(longRangeSetups.smoke, 'transformer', 4).length).toBe(8);
  });
});

describe('argmaxOf and bestHead', () => {
  it('find the first largest value of a window and the head that peaks on the key most often', () => {
    expect(argmaxOf([9, 1, 3, 3, 2], 1, 4)).toBe(1);
    expect(argmaxOf([0.1, 0.7, 0.2], 0, 3)).toBe(1);
    const examples = [
      { key: 1, query: 3, argmax: [1, 1, 0], keyWeight: [0.6, 0.9, 0] },
      { key: 2, query: 3, argmax: [2, 0, 2], keyWeight: [0.5, 0.1, 0.4] },
    ];
    // Head 0 peaks on the key in both examples, heads 1 and 2 in one each.
    expect(bestHead(examples, 3)).toBe(0);
    // Equal hits: the larger weight on the key wins.
    expect(bestHead([{ key: 1, query: 2, argmax: [1, 1], keyWeight: [0.5, 0.8] }], 2)).toBe(1);
  });
});

describe('transformerParametersWithoutPositions', () => {
  it('counts the 2-layer Transformer of the figure without its position table', () => {
    // d_model 32, vocabulary 17: 2 x 12,704 (blocks) + 64 (final norm) + 17 x 32 (embedding) + 32 x 17 (head).
    expect(transformerParametersWithoutPositions(17, 32, 4)).toBe(26_560);
    // The matched recurrent widths of the figure.
    expect(matchedHiddenSize('lstm', 17, 17, 26_560)).toBe(71);
    expect(matchedHiddenSize('gru', 17, 17, 26_560)).toBe(83);
    expect(matchedHiddenSize('rnn', 17, 17, 26_560)).toBe(146);
  });
});

const tinyConfig: LongRangeRunConfig = {
  model: 'transformer',
  distance: 3,
  length: 6,
  symbols: 4,
  modelSize: 8,
  headCount: 2,
  hiddenSize: 0,
  batchSize: 4,
  learningRate: 1e-2,
  maxSteps: 3,
  checkEvery: 2,
  checkSize: 4,
  targetAccuracy: 0.99,
  testSize: 6,
  evaluationBatch: 4,
  probeSize: 5,
};

describe('longRangeRun', () => {
  it('trains each architecture without leaking tensors and probes the Transformer', () => {
    const before = tf.memory().numTensors;
    const transformer = longRangeRun(tinyConfig, 1);
    const lstm = longRangeRun({ ...tinyConfig, model: 'lstm', hiddenSize: 5, probeSize: 0 }, 1);
    expect(tf.memory().numTensors).toBe(before);
    expect(transformer.steps).toBe(3);
    // Checks every 2 steps and at the cap.
    expect(transformer.checks.map((check) => check.step)).toEqual([2, 3]);
    expect(lstm.attention).toBeUndefined();
    const attention = transformer.attention!;
    expect(attention.examples).toHaveLength(5);
    for (const example of attention.examples) {
      expect(example.query - example.key).toBe(3);
      expect(example.argmax).toHaveLength(4);
      // Causal attention: the peak lies at or before the query.
      for (const peak of example.argmax) expect(peak).toBeLessThanOrEqual(example.query);
    }
    const { map } = attention;
    expect(map.weights).toHaveLength(map.query + 1);
    // Rows of an attention map sum to 1 (over keys up to the row's own position).
    for (const row of map.weights) expect(row.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 2);
    expect(map.weights[0]?.[1]).toBe(0);
    expect(map.tokens[map.query]).toBe(8);
    expect(map.tokens[map.key]).toBeGreaterThanOrEqual(4);
  });

  it('stops early once the check set is right and is a pure function of (config, seed)', () => {
    const easy = { ...tinyConfig, maxSteps: 4, targetAccuracy: 0 };
    expect(longRangeRun(easy, 2).steps).toBe(2);
    const again = longRangeRun(easy, 2);
    expect(again).toEqual(longRangeRun(easy, 2));
  });
});
