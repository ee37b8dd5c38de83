import { createRandom, requireIntegerInRange, requireNumberInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { drawNormal, drawUniform } from './initializers.js';
import { requireOneOf, requireSeed, requireSize, requireTensor } from './validation.js';

/** Kinds of random features: `fourier` = cos(Wx + b), `relu` = max(0, Wx). */
export const RANDOM_FEATURE_KINDS = ['fourier', 'relu'] as const;

/** One of {@link RANDOM_FEATURE_KINDS}. */
export type RandomFeatureKind = (typeof RANDOM_FEATURE_KINDS)[number];

/** Options of {@link createRandomFeatures}. */
export interface RandomFeaturesOptions {
  /** Input dimension d. Required. */
  inputSize: number;
  /** The widest feature count drawn; every narrower model uses a prefix of these features. Required. */
  featureCount: number;
  /** Feature map. Default: `'fourier'`. */
  kind?: RandomFeatureKind;
  /**
   * Standard deviation of each entry of W. Default: `1 / sqrt(inputSize)`, which gives Wx unit
   * variance when the inputs have unit mean square per coordinate. (The MNIST double-descent setup
   * uses 0.2 on pixels in [0, 1].)
   */
  weightStd?: number;
  /** Seed of the draw. Required. */
  seed: number;
}

/** A fixed random first layer; create one with {@link createRandomFeatures}. */
export interface RandomFeatures {
  readonly kind: RandomFeatureKind;
  readonly inputSize: number;
  readonly featureCount: number;
  readonly weightStd: number;
  /** W, [inputSize, featureCount]. */
  readonly weight: tf.Tensor2D;
  /** b, [featureCount]: U[0, 2π) for `fourier`, zeros for `relu`. */
  readonly bias: tf.Tensor1D;
  /**
   * The features of a batch, [batch, count], using the first `count` features (default: all). Features
   * are not rescaled by the count, so the first N columns of the widest transform are exactly the
   * N-feature transform.
   */
  transform(input: tf.Tensor2D, count?: number): tf.Tensor2D;
  /** Frees W and b. */
  dispose(): void;
}

/**
 * Draws a random-features map. Feature j's column of W (then its phase b_j) is drawn from the seed's
 * stream in feature order, so the same seed with a larger `featureCount` gives the same first
 * features: one draw serves a whole width sweep, and so does `transform(x, count)`.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRandomFeatures } from '@emerge/transformer';
 *
 * const features = createRandomFeatures({ inputSize: 784, featureCount: 10_000, weightStd: 0.2, seed: 1 });
 * const images = tf.randomUniform([8, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
 * const phi = features.transform(images, 500); // => shape [8, 500]: the first 500 features
 * // Nested: the first 500 of all 10,000 features are the same 500.
 * const all = features.transform(images);
 * console.assert(phi.shape.join() === '8,500');
 * console.assert(Math.abs(phi.arraySync()[0]![499]! - all.arraySync()[0]![499]!) < 1e-6);
 * features.dispose();
 * ```
 */
export function createRandomFeatures(options: RandomFeaturesOptions): RandomFeatures {
  const inputSize = requireSize('inputSize', options.inputSize);
  const featureCount = requireSize('featureCount', options.featureCount);
  const kind = requireOneOf('kind', options.kind ?? 'fourier', RANDOM_FEATURE_KINDS);
  const weightStd = requireNumberInRange('weightStd', options.weightStd ?? 1 / Math.sqrt(inputSize), 0, 1e6);
  const random = createRandom(requireSeed('seed', options.seed));

  const featureMajor = drawNormal(random.fork('weight'), featureCount * inputSize, weightStd);
  const phases =
    kind === 'fourier'
      ? drawUniform(random.fork('bias'), featureCount, 0, 2 * Math.PI)
      : new Float32Array(featureCount);
  const weight = tf.tidy(() => tf.tensor2d(featureMajor, [featureCount, inputSize]).transpose<tf.Tensor2D>());
  const bias = tf.tensor1d(phases);

  return {
    kind,
    inputSize,
    featureCount,
    weightStd,
    weight,
    bias,
    transform(input, count = featureCount) {
      requireIntegerInRange('count', count, 1, featureCount);
      requireTensor('input', input, 'float32', [null, inputSize]);
      return tf.tidy(() => {
        const used = count === featureCount ? weight : weight.slice([0, 0], [inputSize, count]);
        const preActivation: tf.Tensor2D = tf.add(tf.matMul(input, used), bias.slice(0, count)); // [batch, count]
        return kind === 'fourier' ? tf.cos(preActivation) : tf.relu(preActivation);
      });
    },
    dispose() {
      weight.dispose();
      bias.dispose();
    },
  };
}
