import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import golden from './fixtures/mlp-golden.json' with { type: 'json' };
import { createMlp } from './mlp.js';
import { assignFixtureWeights, expectClose, expectNoLeak, useCpu } from './test-helpers.js';

beforeAll(useCpu);

/** Sets every variable of a 2-2-1 MLP to hand-chosen values. */
function setTinyWeights(model: ReturnType<typeof createMlp>): void {
  model.variables.get('layers.0.weight')?.assign(
    tf.tensor2d([
      [1, -1],
      [2, 0.5],
    ]),
  );
  model.variables.get('layers.0.bias')?.assign(tf.tensor1d([0, -0.5]));
  model.variables.get('layers.1.weight')?.assign(tf.tensor2d([[1], [-2]]));
  model.variables.get('layers.1.bias')?.assign(tf.tensor1d([0.25]));
}

describe('createMlp', () => {
  it('names variables layers.<i>.weight [in, out] and layers.<i>.bias [out] and counts them', () => {
    const model = createMlp({ inputSize: 3, hiddenSizes: [4, 5], outputSize: 2, seed: 1 });
    expect([...model.variables.entries()].map(([name, variable]) => [name, variable.shape])).toEqual([
      ['layers.0.weight', [3, 4]],
      ['layers.0.bias', [4]],
      ['layers.1.weight', [4, 5]],
      ['layers.1.bias', [5]],
      ['layers.2.weight', [5, 2]],
      ['layers.2.bias', [2]],
    ]);
    expect(model.parameterCount()).toBe(3 * 4 + 4 + 4 * 5 + 5 + 5 * 2 + 2);
    expect(model.name).toBe('mlp-3x4x5x2');
    model.dispose();
  });

  it('matches hand-worked forward passes for relu, quadratic and gelu', () => {
    // x = [1, 1]: pre-activation h = [1 + 2, -1 + 0.5 - 0.5] = [3, -1].
    const cases = {
      relu: 3 * 1 + 0 * -2 + 0.25,
      quadratic: 9 * 1 + 1 * -2 + 0.25,
      gelu: 2.9959502 + -0.15865525393145707 * -2 + 0.25, // gelu(3) = 3 Φ(3), gelu(-1) = -Φ(-1)
    } as const;
    for (const [activation, expected] of Object.entries(cases)) {
      const model = createMlp({
        inputSize: 2,
        hiddenSizes: [2],
        outputSize: 1,
        activation: activation as keyof typeof cases,
        seed: 1,
      });
      setTinyWeights(model);
      const output = tf.tidy(() => model.forward(tf.tensor2d([[1, 1]])).dataSync());
      expectClose(output, [expected], 1e-5);
      model.dispose();
    }
  });

  for (const fixture of golden.cases) {
    it(`matches PyTorch outputs and losses (${fixture.activation})`, () => {
      const activation = fixture.activation as 'relu' | 'gelu';
      const input = tf.tensor2d(fixture.input.data, fixture.input.shape as [number, number]);
      const labels = tf.tensor1d(fixture.labels, 'int32');
      for (const loss of ['cross-entropy', 'squared'] as const) {
        const model = createMlp({ ...golden.options, activation, loss, seed: 1 });
        assignFixtureWeights(model.variables, fixture.weights);
        const output = tf.tidy(() => model.forward(input).dataSync());
        expectClose(output, fixture.output.data, 2e-6);
        const value = tf.tidy(() => model.loss(input, labels).dataSync()[0]);
        expect(value).toBeCloseTo(loss === 'squared' ? fixture.squared : fixture.crossEntropy, 5);
        model.dispose();
      }
      tf.dispose([input, labels]);
    });
  }

  it('computes the squared loss as a mean over outputs and the cross-entropy from labels or one-hot', () => {
    const squared = createMlp({ inputSize: 2, hiddenSizes: [2], outputSize: 1, loss: 'squared', seed: 1 });
    setTinyWeights(squared); // relu output at [1, 1] is 3.25, at [0, 0] is 0.25 - 0 = 0.25
    const input = tf.tensor2d([
      [1, 1],
      [0, 0],
    ]);
    const squaredLoss = tf.tidy(() => squared.loss(input, tf.tensor2d([[3], [1]])).dataSync()[0]);
    expect(squaredLoss).toBeCloseTo((0.25 ** 2 + 0.75 ** 2) / 2, 6);

    const classifier = createMlp({ inputSize: 2, hiddenSizes: [], outputSize: 3, seed: 1 });
    classifier.variables.get('layers.0.weight')?.assign(
      tf.tensor2d([
        [1, 2, 3],
        [0, 0, 0],
      ]),
    );
    classifier.variables.get('layers.0.bias')?.assign(tf.zeros([3]));
    const logitsInput = tf.tensor2d([[1, 0]]); // logits [1, 2, 3]
    const expected = Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3;
    const fromLabels = tf.tidy(() => classifier.loss(logitsInput, tf.tensor1d([2], 'int32')).dataSync()[0]);
    const fromOneHot = tf.tidy(() => classifier.loss(logitsInput, tf.tensor2d([[0, 0, 1]])).dataSync()[0]);
    expect(fromLabels).toBeCloseTo(expected, 5);
    expect(fromOneHot).toBeCloseTo(expected, 5);
    tf.dispose([input, logitsInput]);
    squared.dispose();
    classifier.dispose();
  });

  it('draws the documented initializations from the seed', () => {
    const stats = (init: 'he-normal' | 'glorot-uniform' | 'torch-linear') => {
      const model = createMlp({ inputSize: 400, hiddenSizes: [], outputSize: 100, init, seed: 3 });
      const weights = Array.from(model.variables.get('layers.0.weight')?.dataSync() ?? []);
      const bias = Array.from(model.variables.get('layers.0.bias')?.dataSync() ?? []);
      const std = Math.sqrt(weights.reduce((sum, value) => sum + value * value, 0) / weights.length);
      const result = {
        std,
        maximum: Math.max(...weights.map(Math.abs)),
        biasMaximum: Math.max(...bias.map(Math.abs)),
      };
      model.dispose();
      return result;
    };
    const he = stats('he-normal');
    expect(he.std / Math.sqrt(2 / 400)).toBeCloseTo(1, 1);
    expect(he.biasMaximum).toBe(0);
    const glorot = stats('glorot-uniform');
    expect(glorot.maximum).toBeLessThanOrEqual(Math.sqrt(6 / 500));
    expect(glorot.std / Math.sqrt(6 / 500 / 3)).toBeCloseTo(1, 1);
    const torch = stats('torch-linear');
    expect(torch.maximum).toBeLessThanOrEqual(1 / 20);
    expect(torch.biasMaximum).toBeGreaterThan(0);
    expect(torch.biasMaximum).toBeLessThanOrEqual(1 / 20);

    const first = createMlp({ inputSize: 3, hiddenSizes: [4], outputSize: 2, seed: 9 });
    const again = createMlp({ inputSize: 3, hiddenSizes: [4], outputSize: 2, seed: 9 });
    const other = createMlp({ inputSize: 3, hiddenSizes: [4], outputSize: 2, seed: 10 });
    const weightsOf = (model: typeof first) =>
      Array.from(model.variables.get('layers.0.weight')?.dataSync() ?? []);
    expect(weightsOf(again)).toEqual(weightsOf(first));
    expect(weightsOf(other)).not.toEqual(weightsOf(first));
    for (const model of [first, again, other]) model.dispose();
  });

  it('lowers the loss of XOR under a short Adam run', () => {
    const model = createMlp({ inputSize: 2, hiddenSizes: [16], outputSize: 2, seed: 4 });
    const input = tf.tensor2d([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const labels = tf.tensor1d([0, 1, 1, 0], 'int32');
    const optimizer = tf.train.adam(0.05);
    const lossAt = () => tf.tidy(() => model.loss(input, labels).dataSync()[0] as number);
    const initial = lossAt();
    for (let step = 0; step < 150; step++) optimizer.minimize(() => model.loss(input, labels));
    expect(lossAt()).toBeLessThan(0.1 * initial);
    tf.dispose([input, labels]);
    optimizer.dispose();
    model.dispose();
  });

  it('does not leak tensors', () => {
    const model = createMlp({ inputSize: 2, hiddenSizes: [3], outputSize: 2, activation: 'gelu', seed: 1 });
    const input = tf.ones([2, 2]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 1], 'int32');
    expectNoLeak(() => model.forward(input));
    expectNoLeak(() => model.loss(input, labels));
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => model.loss(input, labels));
      return [value, ...Object.values(grads)];
    });
    tf.dispose([input, labels]);
    const before = tf.memory().numTensors;
    model.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('rejects bad options, inputs and targets with an OptionError naming the field', () => {
    const base = { inputSize: 2, hiddenSizes: [3], outputSize: 2, seed: 1 };
    expect(() => createMlp({ ...base, hiddenSizes: [3, 0] })).toThrow(/hiddenSizes\[1\]/);
    expect(() => createMlp({ ...base, activation: 'sigmoid' as 'relu' })).toThrow(/activation/);
    expect(() => createMlp({ ...base, init: 'zeros' as 'he-normal' })).toThrow(/init/);
    expect(() => createMlp({ ...base, outputSize: 1.5 })).toThrow(OptionError);
    const model = createMlp(base);
    const wrongShape = tf.ones([2, 3]) as tf.Tensor2D;
    const input = tf.ones([2, 2]) as tf.Tensor2D;
    const wrongTarget = tf.ones([2, 5]);
    expect(() => model.forward(wrongShape)).toThrow(/input must be a float32 tensor of shape \[any, 2\]/);
    expect(() => model.loss(input, wrongTarget)).toThrow(/target/);
    tf.dispose([wrongShape, input, wrongTarget]);
    model.dispose();
  });
});
