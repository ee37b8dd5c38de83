import { createAdam } from '@emerge/optim';
import { createRecurrent } from '@emerge/transformer';
import * as tf from '@tensorflow/tfjs';
import { LSTM_SHAPE } from '../workload-specs.js';
import type { PreparedWorkload } from './prepared-workload.js';
import { randomTokenBatch } from './token-batch.js';

/** One Adam step of `createRecurrent` (LSTM over one-hot tokens, readout at every step) on a fixed batch. */
export function prepareLstmStep(): PreparedWorkload {
  const { vocabSize, hiddenSize, contextLength, batchSize } = LSTM_SHAPE;
  const model = createRecurrent({ cell: 'lstm', vocabSize, hiddenSize, outputSize: vocabSize, seed: 0 });
  const optimizer = createAdam({ variables: model.variables, learningRate: 1e-3 });
  const { inputs, targets } = randomTokenBatch(batchSize, contextLength, vocabSize, 2);
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
