import { createRandom } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';

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
