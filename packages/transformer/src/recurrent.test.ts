import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import golden from './fixtures/recurrent-golden.json' with { type: 'json' };
import { createRecurrent, type RecurrentCell, type RecurrentModel } from './recurrent.js';
import { spectralRadius } from './spectral-radius.js';
import { assignFixtureWeights, expectClose, expectNoLeak, useCpu } from './test-helpers.js';

beforeAll(useCpu);

const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));
const cells: RecurrentCell[] = ['rnn', 'lstm', 'gru'];

/** Row-major values of a variable as a matrix. */
function matrix(model: RecurrentModel, name: string): number[][] {
  return (model.variables.get(name) as tf.Variable).arraySync() as number[][];
}
function vector(model: RecurrentModel, name: string): number[] {
  return (model.variables.get(name) as tf.Variable).arraySync() as number[];
}

/** Plain-JS reference of the standard LSTM and GRU equations (PyTorch's definitions), one sequence. */
function referenceHiddens(model: RecurrentModel, inputs: number[][]): number[][] {
  const [inputWeight, hiddenWeight] = [matrix(model, 'cell.inputWeight'), matrix(model, 'cell.hiddenWeight')];
  const [inputBias, hiddenBias] = [vector(model, 'cell.inputBias'), vector(model, 'cell.hiddenBias')];
  const size = model.hiddenSize;
  const affine = (x: number[], weight: number[][], bias: number[], column: number) =>
    x.reduce((sum, value, row) => sum + value * (weight[row]?.[column] ?? 0), bias[column] ?? 0);
  let hidden = new Array<number>(size).fill(0);
  let cellState = new Array<number>(size).fill(0);
  return inputs.map((x) => {
    const gi = (gate: number, unit: number) => affine(x, inputWeight, inputBias, gate * size + unit);
    const gh = (gate: number, unit: number) => affine(hidden, hiddenWeight, hiddenBias, gate * size + unit);
    const units = Array.from({ length: size }, (_, unit) => unit);
    if (model.cell === 'lstm') {
      const gates = units.map((unit) => [0, 1, 2, 3].map((gate) => gi(gate, unit) + gh(gate, unit)));
      cellState = units.map((unit) => {
        const [i, f, g] = gates[unit] as number[];
        return (
          sigmoid(f as number) * (cellState[unit] as number) + sigmoid(i as number) * Math.tanh(g as number)
        );
      });
      hidden = units.map(
        (unit) => sigmoid(gates[unit]?.[3] as number) * Math.tanh(cellState[unit] as number),
      );
    } else {
      hidden = units.map((unit) => {
        const reset = sigmoid(gi(0, unit) + gh(0, unit));
        const update = sigmoid(gi(1, unit) + gh(1, unit));
        const fresh = Math.tanh(gi(2, unit) + reset * gh(2, unit));
        return (1 - update) * fresh + update * (hidden[unit] as number);
      });
    }
    return hidden;
  });
}

describe('createRecurrent', () => {
  for (const cell of cells) {
    it(`matches PyTorch nn.${cell.toUpperCase()} hidden states, logits and loss`, () => {
      const fixture = golden[cell];
      const model = createRecurrent({ ...fixture.options, cell, seed: 1 });
      assignFixtureWeights(model.variables, fixture.weights);
      const input = tf.tensor(fixture.input.data, fixture.input.shape);
      const targets = tf.tensor2d(fixture.targets, undefined, 'int32');
      const hiddens = model.hiddenStates(input);
      const logits = model.forward(input);
      expectClose(hiddens.dataSync(), fixture.hiddenStates.data, 2e-6);
      expectClose(logits.dataSync(), fixture.logits.data, 2e-6);
      expect(tf.tidy(() => model.loss(input, targets).dataSync()[0])).toBeCloseTo(fixture.loss, 5);
      tf.dispose([input, targets, hiddens, logits]);
      model.dispose();
    });
  }

  it('follows the standard LSTM and GRU gate equations (plain-JS reference)', () => {
    const inputs = [
      [0.5, -1],
      [2, 0.25],
      [-0.75, 1.5],
    ];
    for (const cell of ['lstm', 'gru'] as const) {
      const model = createRecurrent({ cell, inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 4 });
      const hiddens = tf.tidy(() => model.hiddenStates(tf.tensor3d([inputs])).dataSync());
      expectClose(hiddens, referenceHiddens(model, inputs).flat(), 1e-6);
      model.dispose();
    }
  });

  it('gives the same result step by step as the unrolled pass', () => {
    for (const cell of cells) {
      const model = createRecurrent({ cell, inputSize: 3, hiddenSize: 5, outputSize: 2, seed: 2 });
      const input = tf.randomNormal([2, 4, 3], 0, 1, 'float32', 5) as tf.Tensor3D;
      const steps = tf.unstack(input, 1) as tf.Tensor2D[];
      let state = model.initialState(2);
      const outputs = steps.map((step) => {
        const next = model.step(step, state);
        tf.dispose([state.hidden, state.cell ?? []]);
        state = next;
        return model.readout(state.hidden);
      });
      const stepwise = tf.stack(outputs, 1);
      const unrolled = model.forward(input);
      expectClose(stepwise.dataSync(), unrolled.dataSync(), 1e-6);
      tf.dispose([input, ...steps, ...outputs, stepwise, unrolled, state.hidden, state.cell ?? []]);
      model.dispose();
    }
  });

  it('one-hot encodes token input (equal to the vector model on one-hot rows)', () => {
    const tokens = createRecurrent({ cell: 'gru', vocabSize: 4, hiddenSize: 3, outputSize: 2, seed: 8 });
    const vectors = createRecurrent({ cell: 'gru', inputSize: 4, hiddenSize: 3, outputSize: 2, seed: 8 });
    const ids = tf.tensor2d([[3, 0, 2]], undefined, 'int32');
    const oneHot = tf.oneHot(ids, 4).toFloat();
    const [fromIds, fromVectors] = [tokens.forward(ids), vectors.forward(oneHot)];
    expectClose(fromIds.dataSync(), fromVectors.dataSync(), 1e-7);
    tf.dispose([ids, oneHot, fromIds, fromVectors]);
    tokens.dispose();
    vectors.dispose();
  });

  it('scales the tanh RNN recurrent matrix to the requested spectral radius', () => {
    for (const scale of [0.9, 3]) {
      const model = createRecurrent({
        cell: 'rnn',
        inputSize: 1,
        hiddenSize: 32,
        outputSize: 1,
        recurrentScale: scale,
        seed: 3,
      });
      const values = (model.variables.get('cell.hiddenWeight') as tf.Variable).dataSync();
      expect(spectralRadius(values, 32)).toBeCloseTo(scale, 4);
      model.dispose();
    }
    expect(() =>
      createRecurrent({
        cell: 'lstm',
        inputSize: 1,
        hiddenSize: 4,
        outputSize: 1,
        recurrentScale: 1,
        seed: 1,
      }),
    ).toThrow(/recurrentScale/);
  });

  it('gives hidden-state and input gradients that obey the tanh RNN chain rule', () => {
    const model = createRecurrent({
      cell: 'rnn',
      inputSize: 2,
      hiddenSize: 3,
      outputSize: 2,
      recurrentScale: 1.2,
      seed: 6,
    });
    const input = tf.randomNormal([1, 5, 2], 0, 1, 'float32', 9) as tf.Tensor3D;
    const targets = tf.tensor2d([[-1, -1, -1, -1, 1]], undefined, 'int32');
    const hiddens = (model.hiddenStates(input).arraySync()[0] ?? []) as number[][];
    const hiddenGradients = (model.hiddenStateGradients(input, targets).arraySync()[0] ?? []) as number[][];
    const inputGradients = (model.inputGradients(input, targets).arraySync()[0] ?? []) as number[][];
    const [hiddenWeight, inputWeight] = [
      matrix(model, 'cell.hiddenWeight'),
      matrix(model, 'cell.inputWeight'),
    ];
    // At the scored last step: dL/dh_T = W_out (softmax(logits) - onehot).
    const logits = (tf.tidy(() => model.forward(input).arraySync())[0]?.[4] ?? []) as number[];
    const normalizer = logits.reduce((sum, value) => sum + Math.exp(value), 0);
    const residual = logits.map((value, index) => Math.exp(value) / normalizer - (index === 1 ? 1 : 0));
    const readoutWeight = matrix(model, 'readout.weight');
    const last = readoutWeight.map((row) =>
      row.reduce((sum, value, index) => sum + value * (residual[index] ?? 0), 0),
    );
    expectClose(hiddenGradients[4] ?? [], last, 1e-6);
    for (let time = 4; time >= 0; time--) {
      // δ_t = dL/dh_t ⊙ (1 - h_t²); dL/dh_{t-1} = δ_t W_hhᵀ and dL/dx_t = δ_t W_ihᵀ.
      const delta = (hiddenGradients[time] ?? []).map(
        (value, unit) => value * (1 - (hiddens[time]?.[unit] ?? 0) ** 2),
      );
      const backTo = (weight: number[][]) =>
        weight.map((row) => row.reduce((sum, value, unit) => sum + value * (delta[unit] ?? 0), 0));
      expectClose(inputGradients[time] ?? [], backTo(inputWeight), 1e-6);
      if (time > 0) expectClose(hiddenGradients[time - 1] ?? [], backTo(hiddenWeight), 1e-6);
    }
    tf.dispose([input, targets]);
    model.dispose();
  });

  it('lowers the loss of a recall task under a short Adam run', () => {
    const model = createRecurrent({ cell: 'lstm', vocabSize: 4, hiddenSize: 16, outputSize: 4, seed: 1 });
    const rows = [
      [0, 3, 3, 3],
      [1, 3, 3, 3],
      [2, 3, 3, 3],
      [3, 3, 3, 3],
    ];
    const input = tf.tensor2d(rows, undefined, 'int32');
    const targets = tf.tensor2d(
      rows.map((row) => [-1, -1, -1, row[0] as number]),
      undefined,
      'int32',
    );
    const optimizer = tf.train.adam(0.05);
    const lossAt = () => tf.tidy(() => model.loss(input, targets).dataSync()[0] as number);
    const initial = lossAt();
    for (let step = 0; step < 60; step++) optimizer.minimize(() => model.loss(input, targets));
    expect(lossAt()).toBeLessThan(0.2 * initial);
    tf.dispose([input, targets]);
    optimizer.dispose();
    model.dispose();
  });

  it('does not leak tensors', () => {
    for (const cell of cells) {
      const model = createRecurrent({ cell, vocabSize: 3, hiddenSize: 4, outputSize: 2, seed: 1 });
      const input = tf.tensor2d([[0, 2, 1]], undefined, 'int32');
      const targets = tf.tensor2d([[1, -1, 0]], undefined, 'int32');
      expectNoLeak(() => model.forward(input));
      expectNoLeak(() => model.loss(input, targets));
      expectNoLeak(() => model.hiddenStates(input));
      expectNoLeak(() => model.hiddenStateGradients(input, targets));
      expectNoLeak(() => model.inputGradients(input, targets));
      expectNoLeak(() => {
        const state = model.initialState(1);
        const step = tf.tidy(() => tf.oneHot(tf.tensor1d([1], 'int32'), 3).toFloat()) as tf.Tensor2D;
        const next = model.step(step, state);
        return [
          step,
          state.hidden,
          ...(state.cell ? [state.cell] : []),
          next.hidden,
          ...(next.cell ? [next.cell] : []),
        ];
      });
      expectNoLeak(() => {
        const { value, grads } = tf.variableGrads(() => model.loss(input, targets));
        return [value, ...Object.values(grads)];
      });
      tf.dispose([input, targets]);
      model.dispose();
    }
  });

  it('rejects bad options and inputs with an OptionError naming the field', () => {
    const base = { cell: 'rnn', hiddenSize: 3, outputSize: 2, seed: 1 } as const;
    expect(() => createRecurrent({ ...base, cell: 'transformer' as 'rnn', inputSize: 2 })).toThrow(/cell/);
    expect(() => createRecurrent({ ...base, inputSize: 2, vocabSize: 3 })).toThrow(/inputSize/);
    expect(() => createRecurrent({ ...base })).toThrow(/inputSize/);
    expect(() => createRecurrent({ ...base, inputSize: 2, hiddenSize: 0 })).toThrow(/hiddenSize/);
    const model = createRecurrent({ ...base, vocabSize: 3 });
    const floats = tf.zeros([1, 3]);
    expect(() => model.forward(floats)).toThrow(/input must be a int32 tensor of shape \[any, any\]/);
    expect(() => model.step(floats as tf.Tensor2D, model.initialState(1))).not.toThrow();
    const wrongStep = tf.zeros([1, 4]) as tf.Tensor2D;
    expect(() => model.step(wrongStep, model.initialState(1))).toThrow(/input/);
    tf.dispose([floats, wrongStep]);
    model.dispose();
  });
});
