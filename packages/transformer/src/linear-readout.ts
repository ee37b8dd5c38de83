import type { ForwardOptions, Model } from '@emerge/core';
import { requireIntegerInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { exampleLosses, LOSS_KINDS, type LossKind } from './loss.js';
import type { RandomFeatures } from './random-features.js';
import { requireOneOf, requireSize } from './validation.js';
import { VariableSet } from './variables.js';

/** Options of {@link createLinearReadout}. */
export interface LinearReadoutOptions {
  /** The fixed first layer. Required; the readout does not own it (dispose it yourself). */
  features: RandomFeatures;
  /** How many of the features to use (a prefix). Default: all of them. */
  featureCount?: number;
  /** Number of outputs. Required. */
  outputSize: number;
  /** Training loss. Default: `'squared'`. */
  loss?: LossKind;
  /** Model name. Default: `random-features-<kind>-<featureCount>`. */
  name?: string;
}

/**
 * A trainable linear readout on fixed random features: output = φ(x) · A, with one variable
 * `readout.weight` [featureCount, outputSize], started at zero and without bias, so gradient descent
 * on the squared loss stays in the row space of the features and converges to the minimum-norm
 * least-squares solution (the one a closed-form solver returns).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createLinearReadout, createRandomFeatures } from '@emerge/transformer';
 *
 * const features = createRandomFeatures({ inputSize: 4, featureCount: 50, weightStd: 1, seed: 1 });
 * const model = createLinearReadout({ features, featureCount: 20, outputSize: 3 });
 * const images = tf.randomUniform([8, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
 * const targets = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3).toFloat();
 * model.forward(images).shape; // => [8, 3]
 * // The readout starts at zero, so the first squared loss is the mean square of the targets.
 * const loss = model.loss(images, targets);
 * console.assert(model.forward(images).shape.join() === '8,3' && loss.dataSync()[0]! > 0);
 * ```
 */
export function createLinearReadout(
  options: LinearReadoutOptions,
): Model<tf.Tensor2D, tf.Tensor, tf.Tensor2D> {
  const { features } = options;
  const featureCount = requireIntegerInRange(
    'featureCount',
    options.featureCount ?? features.featureCount,
    1,
    features.featureCount,
  );
  const outputSize = requireSize('outputSize', options.outputSize);
  const lossKind = requireOneOf('loss', options.loss ?? 'squared', LOSS_KINDS);
  const variables = new VariableSet();
  const weight = variables.add('readout.weight', new Float32Array(featureCount * outputSize), [
    featureCount,
    outputSize,
  ]);

  const forward = (input: tf.Tensor2D): tf.Tensor2D =>
    tf.tidy(() => tf.matMul(features.transform(input, featureCount), weight)); // [batch, outputs]

  return {
    name: options.name ?? `random-features-${features.kind}-${featureCount}`,
    variables: variables.map,
    forward,
    loss: (input: tf.Tensor2D, target: tf.Tensor, _options?: ForwardOptions) =>
      tf.tidy(() => tf.mean(exampleLosses(lossKind, forward(input), target)) as tf.Scalar),
    parameterCount: () => variables.scalarCount(),
    dispose: () => variables.dispose(),
  };
}
