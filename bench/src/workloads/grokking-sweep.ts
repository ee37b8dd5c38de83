import { createModularArithmetic, oneHot } from '@emerge/core';
import { createAdamW, train } from '@emerge/optim';
import { createMlp } from '@emerge/transformer';
import * as tf from '@tensorflow/tfjs';
import { GROKKING_SHAPE } from '../workload-specs.js';
import type { PreparedWorkload } from './prepared-workload.js';

/** The training pairs of a seed's split: a and b one-hot side by side [n, 2p], and the answers [n]. */
function trainingPairs(seed: number): { inputs: tf.Tensor2D; labels: tf.Tensor1D } {
  const { modulus } = GROKKING_SHAPE;
  const task = createModularArithmetic({ modulus, trainFraction: 0.5, seed });
  const pairs = [...task.trainIndices];
  const operandsOneHot = (operands: Int32Array) =>
    tf.tensor2d(
      oneHot(
        pairs.map((pair) => operands[pair] ?? 0),
        modulus,
      ),
      [pairs.length, modulus],
    );
  return tf.tidy(() => ({
    inputs: tf.concat2d([operandsOneHot(task.left), operandsOneHot(task.right)], 1),
    labels: tf.tensor1d(
      pairs.map((pair) => task.answers[pair] ?? 0),
      'int32',
    ),
  }));
}

/**
 * The grokking sweep end to end, along the code path of the grokking figure's runs (its `grokkingRun`
 * is not exported, so its steps are repeated here without the evaluations): for each of 8 seeds, the
 * seed's split of a + b mod 97, MLP 194-512-97 with PyTorch's `nn.Linear` initialization, and 20
 * full-batch AdamW steps (learning rate 1e-3, decoupled weight decay 1) through `train`.
 * Seeds run one after the other: one step of an 8-member `createMlpEnsemble` was measured slower on
 * wasm than 8 separate steps (1.2-1.6 s against 8 x 0.13 s of CPU).
 */
export function prepareGrokkingSweep(): PreparedWorkload {
  const { modulus, hiddenSize, seedCount, stepCount } = GROKKING_SHAPE;
  return {
    run: () => {
      for (let seed = 0; seed < seedCount; seed++) {
        const { inputs, labels } = trainingPairs(seed);
        const model = createMlp({
          inputSize: 2 * modulus,
          hiddenSizes: [hiddenSize],
          outputSize: modulus,
          init: 'torch-linear',
          seed,
        });
        const optimizer = createAdamW({ variables: model.variables, learningRate: 1e-3, weightDecay: 1 });
        train({
          optimizer,
          loss: () => model.loss(inputs, labels),
          batch: () => undefined,
          steps: stepCount,
        });
        optimizer.dispose();
        model.dispose();
        tf.dispose([inputs, labels]);
      }
    },
    dispose: () => undefined,
    details: { method: 'createMlp + createAdamW + train, seeds one after the other (the figure path)' },
  };
}
