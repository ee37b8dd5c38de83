import { createRecurrent } from '@emerge/transformer';
import { LSTM_SHAPE } from '../workload-specs.js';
import type { PreparedWorkload } from './prepared-workload.js';
import { prepareTokenModelStep } from './token-batch.js';

/** One Adam step of `createRecurrent` (LSTM over one-hot tokens, readout at every step) on a fixed batch. */
export function prepareLstmStep(): PreparedWorkload {
  const { vocabSize, hiddenSize, contextLength, batchSize } = LSTM_SHAPE;
  const model = createRecurrent({ cell: 'lstm', vocabSize, hiddenSize, outputSize: vocabSize, seed: 0 });
  return prepareTokenModelStep(model, batchSize, contextLength, vocabSize, 2);
}
