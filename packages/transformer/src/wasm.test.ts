import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMlpEnsemble } from './mlp-ensemble.js';
import { createRecurrent } from './recurrent.js';
import { expectClose } from './test-helpers.js';
import { createTransformer } from './transformer.js';

/** The loss and the sum of all gradient entries of a model, computed on one backend. */
function lossAndGradients(
  backend: string,
  build: () => { loss: () => tf.Scalar; owned: { dispose(): void }[] },
): number[] {
  tf.setBackend(backend);
  const model = build();
  const result = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(model.loss);
    return [
      value.dataSync()[0] as number,
      ...Object.values(grads).map((gradient) => tf.sum(gradient).dataSync()[0] as number),
    ];
  });
  for (const item of model.owned) item.dispose();
  return result;
}

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});
afterAll(() => tf.setBackend('cpu'));

describe('on the wasm backend (no gather gradient, no Einsum)', () => {
  const builders = {
    transformer: () => {
      const model = createTransformer({
        vocabSize: 5,
        contextLength: 4,
        modelSize: 8,
        layerCount: 1,
        headCount: 2,
        seed: 1,
      });
      const input = tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32');
      const targets = tf.tensor2d([[2, 3, 4, -1]], undefined, 'int32');
      return {
        loss: () => model.loss(input, targets),
        owned: [model, input, targets],
      };
    },
    lstm: () => {
      const model = createRecurrent({ cell: 'lstm', vocabSize: 5, hiddenSize: 4, outputSize: 3, seed: 1 });
      const input = tf.tensor2d([[1, 2, 3]], undefined, 'int32');
      const targets = tf.tensor2d([[0, -1, 2]], undefined, 'int32');
      return {
        loss: () => model.loss(input, targets),
        owned: [model, input, targets],
      };
    },
    ensemble: () => {
      const model = createMlpEnsemble({
        inputSize: 3,
        hiddenSizes: [4],
        outputSize: 2,
        activation: 'gelu',
        seeds: [1, 2],
      });
      const input = tf.tensor2d([[1, 2, 3]]);
      const labels = tf.tensor1d([1], 'int32');
      return {
        loss: () => model.loss(input, labels),
        owned: [model, input, labels],
      };
    },
  };
  for (const [name, build] of Object.entries(builders)) {
    it(`trains the ${name} with the same loss and gradients as on cpu`, () => {
      const onWasm = lossAndGradients('wasm', build);
      const onCpu = lossAndGradients('cpu', build);
      expect(onWasm.length).toBe(onCpu.length);
      expectClose(onWasm, onCpu, 1e-4);
    });
  }
});
