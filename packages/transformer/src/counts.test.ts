import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countMlp, countRecurrent, countTransformer } from './counts.js';
import { createMlp } from './mlp.js';
import { createRecurrent } from './recurrent.js';
import { useCpu } from './test-helpers.js';
import { createTransformer } from './transformer.js';

beforeAll(useCpu);

describe('countTransformer', () => {
  it('equals the built model parameter count, tied and untied', () => {
    for (const tiedHead of [false, true]) {
      const options = {
        vocabSize: 13,
        contextLength: 9,
        modelSize: 12,
        layerCount: 3,
        headCount: 3,
        mlpRatio: 2,
        tiedHead,
      };
      const model = createTransformer({ ...options, seed: 1 });
      expect(countTransformer(options).parameters).toBe(model.parameterCount());
      model.dispose();
    }
  });

  it('matches hand-worked counts and FLOPs of a tiny configuration', () => {
    // V = 5, T = 4, C = 2, one layer, one head, MLP ratio 4 (hidden 8), untied head.
    const counts = countTransformer({
      vocabSize: 5,
      contextLength: 4,
      modelSize: 2,
      layerCount: 1,
      headCount: 1,
    });
    const perLayer = 4 + (12 + 6) + (4 + 2) + 4 + (16 + 8) + (16 + 2); // 74
    expect(counts.nonEmbeddingParameters).toBe(perLayer + 4);
    expect(counts.parameters).toBe(78 + 10 + 8 + 10);
    expect(counts.trainingFlopsPerToken6N).toBe(6 * 78);
    expect(counts.trainingFlopsPerTokenKaplan).toBe(6 * 78 + 6 * 1 * 4 * 2);
    // forward: embedding 20 + (qkv 24 + scores 16 + mixing 16 + output 8 + mlp 64) + head 20 = 168.
    expect(counts.trainingFlopsPerTokenExact).toBe(3 * 168);
    expect(
      countTransformer({ vocabSize: 5, contextLength: 4, modelSize: 2, layerCount: 1, headCount: 1 }, 2)
        .trainingFlopsPerTokenExact,
    ).toBe(3 * (168 - 16));
  });

  it('approaches 12 · layers · C² non-embedding parameters for wide models', () => {
    const { nonEmbeddingParameters } = countTransformer({
      vocabSize: 100,
      contextLength: 64,
      modelSize: 512,
      layerCount: 4,
      headCount: 8,
    });
    expect(nonEmbeddingParameters / (12 * 4 * 512 ** 2)).toBeCloseTo(1, 2);
    expect(() =>
      countTransformer({ vocabSize: 10, contextLength: 4, modelSize: 6, layerCount: 1, headCount: 4 }),
    ).toThrow(/headCount/);
  });
});

describe('countMlp and countRecurrent', () => {
  it('equal the built models and the documented formulas', () => {
    expect(countMlp({ inputSize: 784, hiddenSizes: [256, 256], outputSize: 10 })).toEqual({
      parameters: 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10,
      trainingFlops: 6 * (784 * 256 + 256 * 256 + 2560),
    });
    const mlp = createMlp({ inputSize: 7, hiddenSizes: [5, 3], outputSize: 2, seed: 1 });
    expect(countMlp({ inputSize: 7, hiddenSizes: [5, 3], outputSize: 2 }).parameters).toBe(
      mlp.parameterCount(),
    );
    mlp.dispose();
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const options = { cell, vocabSize: 6, hiddenSize: 5, outputSize: 3 };
      const model = createRecurrent({ ...options, seed: 1 });
      expect(countRecurrent(options).parameters).toBe(model.parameterCount());
      model.dispose();
    }
    // nn.LSTM(10, 64) has 4·64·(10 + 64) + 2·4·64 = 19,456 parameters; plus a 64 → 8 readout.
    expect(countRecurrent({ cell: 'lstm', inputSize: 10, hiddenSize: 64, outputSize: 8 }).parameters).toBe(
      19_456 + 520,
    );
    expect(tf.memory().numTensors).toBe(0);
  });
});
