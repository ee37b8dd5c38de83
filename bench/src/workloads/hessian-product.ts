import { createRandom } from '@emerge/core';
import { createHessianOperator } from '@emerge/optim';
import { createMlp } from '@emerge/transformer';
import * as tf from '@tensorflow/tfjs';
import { HESSIAN_EXAMPLE_COUNT, MNIST_MLP_SIZES } from '../workload-specs.js';
import type { PreparedWorkload } from './prepared-workload.js';

/**
 * One product of `createHessianOperator` (central difference of two gradients, its default) for the
 * MLP 784-512-512-10's mean cross-entropy over 1,000 uniform random inputs with random labels.
 */
export function prepareHessianProduct(): PreparedWorkload {
  const [inputSize, firstHidden, secondHidden, outputSize] = MNIST_MLP_SIZES as [
    number,
    number,
    number,
    number,
  ];
  const random = createRandom(4);
  const inputs = tf.tensor2d(
    Float32Array.from({ length: HESSIAN_EXAMPLE_COUNT * inputSize }, () => random.uniform()),
    [HESSIAN_EXAMPLE_COUNT, inputSize],
  );
  const labels = tf.tensor1d(
    Int32Array.from({ length: HESSIAN_EXAMPLE_COUNT }, () => random.integer(outputSize)),
    'int32',
  );
  const model = createMlp({ inputSize, hiddenSizes: [firstHidden, secondHidden], outputSize, seed: 0 });
  const hessian = createHessianOperator({
    variables: model.variables,
    loss: () => model.loss(inputs, labels),
  });
  const direction = Float64Array.from({ length: hessian.dimension }, () => random.normal());
  return {
    run: () => {
      hessian.multiply(direction);
    },
    dispose: () => {
      tf.dispose([inputs, labels]);
      model.dispose();
    },
    details: { method: 'createHessianOperator, central difference (2 gradients)' },
  };
}
