import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import golden from './fixtures/transformer-golden.json' with { type: 'json' };
import { assignFixtureWeights, expectClose, expectNoLeak, useCpu } from './test-helpers.js';
import { createTransformer, type TransformerOptions } from './transformer.js';

beforeAll(useCpu);

const small: TransformerOptions = {
  vocabSize: 7,
  contextLength: 6,
  modelSize: 8,
  layerCount: 2,
  headCount: 2,
  seed: 3,
};

describe('createTransformer', () => {
  for (const [label, fixture] of Object.entries(golden)) {
    it(`matches PyTorch logits, attention weights and loss (${label})`, () => {
      const model = createTransformer({ ...fixture.options, seed: 1 });
      assignFixtureWeights(model.variables, fixture.weights);
      const input = tf.tensor2d(fixture.input, undefined, 'int32');
      const targets = tf.tensor2d(fixture.targets, undefined, 'int32');
      const logits = model.forward(input);
      expect(logits.shape).toEqual(fixture.logits.shape);
      expectClose(logits.dataSync(), fixture.logits.data, 2e-5);
      const maps = model.attentionWeights(input);
      for (const [layer, map] of maps.entries()) {
        expectClose(map.dataSync(), fixture.attention[layer]?.data ?? [], 2e-6);
      }
      expect(tf.tidy(() => model.loss(input, targets).dataSync()[0])).toBeCloseTo(fixture.loss, 5);
      tf.dispose([input, targets, logits, ...maps]);
      model.dispose();
    });
  }

  it('is causal: changing a later token never changes an earlier output; the bidirectional variant is not', () => {
    for (const causal of [true, false]) {
      const model = createTransformer({ ...small, causal, embeddingStd: 1, weightStd: 0.3 });
      const first = tf.tensor2d([[1, 2, 3, 4, 5, 6]], undefined, 'int32');
      const changed = tf.tensor2d([[1, 2, 3, 0, 5, 6]], undefined, 'int32');
      const [before, after] = [model.forward(first), model.forward(changed)];
      const earlier = (logits: tf.Tensor3D) => Array.from(logits.slice([0, 0, 0], [1, 3, 7]).dataSync());
      if (causal) expect(earlier(after)).toEqual(earlier(before));
      else expect(earlier(after)).not.toEqual(earlier(before));
      const maps = model.attentionWeights(first);
      for (const map of maps) {
        const rows = map.arraySync()[0]?.[0] ?? [];
        rows.forEach((row, query) => {
          expect(row.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
          if (causal) expect(row.slice(query + 1).every((value) => value === 0)).toBe(true);
        });
      }
      tf.dispose([first, changed, before, after, ...maps]);
      model.dispose();
    }
  });

  it('names, shapes and initializes its variables as documented', () => {
    const model = createTransformer({
      ...small,
      vocabSize: 50,
      contextLength: 40,
      modelSize: 32,
      headCount: 4,
    });
    expect(model.variables.get('tokenEmbedding')?.shape).toEqual([50, 32]);
    expect(model.variables.get('positionEmbedding')?.shape).toEqual([40, 32]);
    expect(model.variables.get('blocks.1.attention.qkv.weight')?.shape).toEqual([32, 96]);
    expect(model.variables.get('blocks.0.mlp.hidden.weight')?.shape).toEqual([32, 128]);
    expect(model.variables.get('head.weight')?.shape).toEqual([32, 50]);
    const std = (name: string) => {
      const values = Array.from(model.variables.get(name)?.dataSync() ?? []);
      return Math.sqrt(values.reduce((sum, value) => sum + value * value, 0) / values.length);
    };
    expect(std('tokenEmbedding') / 0.02).toBeCloseTo(1, 1);
    expect(std('blocks.0.attention.qkv.weight') / 0.02).toBeCloseTo(1, 1);
    expect(std('blocks.0.mlp.output.weight') / (0.02 / Math.sqrt(4))).toBeCloseTo(1, 1);
    expect(Array.from(model.variables.get('blocks.0.mlpNorm.weight')?.dataSync() ?? [])).toEqual(
      new Array(32).fill(1),
    );
    const perBlock = 2 * 32 + (32 * 96 + 96) + (32 * 32 + 32) + 2 * 32 + (32 * 128 + 128) + (128 * 32 + 32);
    expect(model.parameterCount()).toBe(50 * 32 + 40 * 32 + 2 * perBlock + 2 * 32 + 32 * 50);
    const tied = createTransformer({ ...small, tiedHead: true });
    expect(tied.variables.has('head.weight')).toBe(false);
    model.dispose();
    tied.dispose();
  });

  it("starts linear layers as PyTorch's nn.Linear with linearInit 'fan-in-uniform', embeddings unchanged", () => {
    const options = { ...small, vocabSize: 50, contextLength: 40, modelSize: 32, headCount: 4 };
    const model = createTransformer({ ...options, linearInit: 'fan-in-uniform' });
    const gpt = createTransformer(options);
    const values = (set: typeof model, name: string) => Array.from(set.variables.get(name)?.dataSync() ?? []);
    // U(−b, b) with b = 1/√fan_in: every value inside, and the standard deviation b/√3.
    for (const [name, fanIn] of [
      ['blocks.0.attention.qkv.weight', 32],
      ['blocks.0.attention.qkv.bias', 32],
      ['blocks.1.attention.output.weight', 32],
      ['blocks.0.mlp.output.weight', 128],
      ['blocks.1.mlp.hidden.bias', 32],
      ['head.weight', 32],
    ] as const) {
      const drawn = values(model, name);
      const bound = 1 / Math.sqrt(fanIn);
      expect(drawn.every((value) => Math.abs(value) <= bound)).toBe(true);
      const rms = Math.sqrt(drawn.reduce((sum, value) => sum + value * value, 0) / drawn.length);
      expect(rms / (bound / Math.sqrt(3))).toBeCloseTo(1, 0);
      expect(Math.max(...drawn.map(Math.abs)) / bound).toBeGreaterThan(0.9);
    }
    // The embeddings, LayerNorms and the draws' streams are the same as with the default.
    expect(values(model, 'tokenEmbedding')).toEqual(values(gpt, 'tokenEmbedding'));
    expect(values(model, 'positionEmbedding')).toEqual(values(gpt, 'positionEmbedding'));
    expect(values(model, 'finalNorm.weight')).toEqual(values(gpt, 'finalNorm.weight'));
    expect(model.parameterCount()).toBe(gpt.parameterCount());
    model.dispose();
    gpt.dispose();
  });

  it('learns to copy the previous token under a short Adam run', () => {
    const model = createTransformer({ ...small, vocabSize: 5, modelSize: 16, layerCount: 1, seed: 2 });
    const rows = [
      [0, 1, 2, 3, 4, 0],
      [4, 3, 2, 1, 0, 4],
      [2, 2, 4, 4, 1, 1],
      [3, 0, 3, 1, 4, 2],
    ];
    const input = tf.tensor2d(rows, undefined, 'int32');
    const targets = tf.tensor2d(
      rows.map((row) => [-1, ...row.slice(0, -1)]),
      undefined,
      'int32',
    );
    const optimizer = tf.train.adam(0.02);
    const lossAt = () => tf.tidy(() => model.loss(input, targets).dataSync()[0] as number);
    const initial = lossAt();
    expect(initial).toBeCloseTo(Math.log(5), 1);
    for (let step = 0; step < 60; step++)
      optimizer.minimize(() => model.loss(input, targets, { training: true }));
    expect(lossAt()).toBeLessThan(0.5 * initial);
    tf.dispose([input, targets]);
    optimizer.dispose();
    model.dispose();
  });

  it('applies dropout only when training, reproducibly from the seed', () => {
    const outputs = [1, 2].map(() => {
      const model = createTransformer({ ...small, dropout: 0.5 });
      const input = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
      const result = [false, true, true].map((training) =>
        tf.tidy(() => Array.from(model.forward(input, { training }).dataSync())),
      );
      input.dispose();
      model.dispose();
      return result;
    });
    const [[evaluation, trainingA, trainingB], [, replayA]] = outputs as [number[][], number[][]];
    expect(trainingA).not.toEqual(evaluation);
    expect(trainingB).not.toEqual(trainingA);
    expect(replayA).toEqual(trainingA);
  });

  it('gives input gradients that vanish after the last scored position of a causal model', () => {
    const model = createTransformer({ ...small, weightStd: 0.3 });
    const input = tf.tensor2d([[1, 2, 3, 4, 5]], undefined, 'int32');
    const targets = tf.tensor2d([[-1, 3, -1, -1, -1]], undefined, 'int32');
    const gradients = model.inputGradients(input, targets);
    expect(gradients.shape).toEqual([1, 5, 8]);
    const norms = tf.tidy(() => Array.from(tf.norm(gradients, 'euclidean', 2).dataSync()));
    expect(norms[0]).toBeGreaterThan(0);
    expect(norms[1]).toBeGreaterThan(0);
    expect(norms.slice(2)).toEqual([0, 0, 0]);
    tf.dispose([input, targets, gradients]);
    model.dispose();
  });

  it('does not leak tensors', () => {
    const model = createTransformer({ ...small, dropout: 0.1 });
    const input = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
    const targets = tf.tensor2d([[2, 3, 4]], undefined, 'int32');
    expectNoLeak(() => model.forward(input, { training: true }));
    expectNoLeak(() => model.loss(input, targets));
    expectNoLeak(() => model.attentionWeights(input));
    expectNoLeak(() => model.inputGradients(input, targets));
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => model.loss(input, targets, { training: true }));
      return [value, ...Object.values(grads)];
    });
    tf.dispose([input, targets]);
    const [before, owned] = [tf.memory().numTensors, model.variables.size];
    model.dispose();
    expect(tf.memory().numTensors).toBe(before - owned);
  });

  it('rejects bad options and inputs with an OptionError naming the field', () => {
    expect(() => createTransformer({ ...small, headCount: 3 })).toThrow(
      /headCount must be a divisor of modelSize \(8\)/,
    );
    expect(() => createTransformer({ ...small, vocabSize: 0 })).toThrow(/vocabSize/);
    expect(() => createTransformer({ ...small, dropout: 1 })).toThrow(/dropout/);
    expect(() => createTransformer({ ...small, causal: 'yes' as unknown as boolean })).toThrow(/causal/);
    expect(() => createTransformer({ ...small, linearInit: 'kaiming' as never })).toThrow(
      /linearInit must be "normal" or "fan-in-uniform"/,
    );
    const model = createTransformer(small);
    const tooLong = tf.zeros([1, 7], 'int32') as tf.Tensor2D;
    const floats = tf.zeros([1, 3]) as tf.Tensor2D;
    const input = tf.zeros([1, 3], 'int32') as tf.Tensor2D;
    const wrongTargets = tf.zeros([1, 4], 'int32') as tf.Tensor2D;
    expect(() => model.forward(tooLong)).toThrow(
      /input must be token ids with 1 to contextLength \(6\) positions/,
    );
    expect(() => model.forward(floats)).toThrow(OptionError);
    expect(() => model.forward(floats)).toThrow(/input must be a int32 tensor/);
    expect(() => model.loss(input, wrongTargets)).toThrow(/target/);
    tf.dispose([tooLong, floats, input, wrongTargets]);
    model.dispose();
  });
});
