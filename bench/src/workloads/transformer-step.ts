import { createAdam } from '@emerge/optim';
import { createTransformer } from '@emerge/transformer';
import * as tf from '@tensorflow/tfjs';
import { TRANSFORMER_SHAPE } from '../workload-specs.js';
import type { PreparedWorkload } from './prepared-workload.js';
import { randomTokenBatch } from './token-batch.js';

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
  const optimizer = createAdam({ variables: model.variables, learningRate: 1e-3 });
  const { inputs, targets } = randomTokenBatch(batchSize, contextLength, vocabSize, 1);
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
