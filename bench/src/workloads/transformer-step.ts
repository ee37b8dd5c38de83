import { createTransformer } from '@emerge/transformer';
import { TRANSFORMER_SHAPE } from '../workload-specs.js';
import type { PreparedWorkload } from './prepared-workload.js';
import { prepareTokenModelStep } from './token-batch.js';

/** One Adam step of `createTransformer` on a fixed random token batch. */
export function prepareTransformerStep(): PreparedWorkload {
  const { vocabSize, modelSize, layerCount, headCount, contextLength, batchSize, mlpRatio } =
    TRANSFORMER_SHAPE;
  const model = createTransformer({
    vocabSize,
    contextLength,
    modelSize,
    layerCount,
    headCount,
    mlpRatio,
    seed: 0,
  });
  return prepareTokenModelStep(model, batchSize, contextLength, vocabSize, 1);
}
