import { createRandom, type Model } from '@emerge/core';
import { createAdam } from '@emerge/optim';
import * as tf from '@tensorflow/tfjs';
import type { PreparedWorkload } from './prepared-workload.js';

/**
 * A random token batch for next-token training: inputs [batch, time] and targets shifted by one
 * position, both int32, drawn from one seeded [batch, time + 1] sequence.
 */
export function randomTokenBatch(
  batchSize: number,
  contextLength: number,
  vocabSize: number,
  seed: number,
): { inputs: tf.Tensor2D; targets: tf.Tensor2D } {
  const random = createRandom(seed);
  const inputs = new Int32Array(batchSize * contextLength);
  const targets = new Int32Array(batchSize * contextLength);
  for (let row = 0; row < batchSize; row++) {
    const sequence = Array.from({ length: contextLength + 1 }, () => random.integer(vocabSize));
    inputs.set(sequence.slice(0, contextLength), row * contextLength);
    targets.set(sequence.slice(1), row * contextLength);
  }
  return {
    inputs: tf.tensor2d(inputs, [batchSize, contextLength], 'int32'),
    targets: tf.tensor2d(targets, [batchSize, contextLength], 'int32'),
  };
}

/**
 * One Adam step (learning rate 1e-3) of a next-token model on a fixed random batch of `seed`: the
 * Transformer and LSTM workloads differ only in the model they time.
 */
export function prepareTokenModelStep(
  model: Model<tf.Tensor2D, tf.Tensor2D>,
  batchSize: number,
  contextLength: number,
  vocabSize: number,
  seed: number,
): PreparedWorkload {
  const optimizer = createAdam({ variables: model.variables, learningRate: 1e-3 });
  const { inputs, targets } = randomTokenBatch(batchSize, contextLength, vocabSize, seed);
  return {
    run: () => optimizer.minimize(() => model.loss(inputs, targets)),
    dispose: () => {
      tf.dispose([inputs, targets]);
      optimizer.dispose();
      model.dispose();
    },
    details: { model: model.name, parameters: model.parameterCount() },
  };
}
