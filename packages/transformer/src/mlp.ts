import type { ForwardOptions, Model } from '@emerge/core';
import { createRandom, OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, type Activation, activate } from './activation.js';
import { DENSE_INITS, type DenseInit, type DenseLayer, denseStack, drawDense } from './dense.js';
import { hotRowsProduct } from './hot-rows-product.js';
import { exampleLosses, LOSS_KINDS, type LossKind } from './loss.js';
import { requireOneOf, requireSeed, requireSize, requireTensor } from './validation.js';
import { VariableSet } from './variables.js';

/** Options of {@link createMlp}. */
export interface MlpOptions {
  /** Input dimension. Required. */
  inputSize: number;
  /** Widths of the hidden layers, e.g. `[256, 256]`; may be empty (a linear model). Required. */
  hiddenSizes: readonly number[];
  /** Output dimension (classes, or regression targets). Required. */
  outputSize: number;
  /** Hidden nonlinearity. Default: `'relu'`. */
  activation?: Activation;
  /** Training loss. Default: `'cross-entropy'`. */
  loss?: LossKind;
  /** Initialization of every layer. Default: `'he-normal'`. */
  init?: DenseInit;
  /** Seed of the initialization. Required. */
  seed: number;
  /** Model name. Default: `mlp-<sizes joined by x>`. */
  name?: string;
  /**
   * Take each input as the positions of the ones of a k-hot vector of length `inputSize`: int32
   * [batch, hotInputs] instead of float32 [batch, inputSize]. The first layer then adds rows of its
   * weight ({@link hotRowsProduct}) instead of multiplying by a mostly-zero matrix; with each row's
   * positions in increasing order the result is the dense product's, bit for bit on wasm. Default: none
   * (dense float input).
   */
  hotInputs?: number;
}

/** A multilayer perceptron; create one with {@link createMlp}. */
export interface Mlp extends Model<tf.Tensor2D, tf.Tensor, tf.Tensor2D> {
  /** [inputSize, ...hiddenSizes, outputSize]. */
  readonly layerSizes: readonly number[];
}

/** Validated MLP options with defaults filled in (shared with the batched ensemble). */
export interface ResolvedMlpOptions {
  layerSizes: number[];
  activation: Activation;
  loss: LossKind;
  init: DenseInit;
}

/** Validates the options every MLP shares. */
export function resolveMlpOptions(options: Omit<MlpOptions, 'seed'>): ResolvedMlpOptions {
  if (!Array.isArray(options.hiddenSizes)) {
    throw new OptionError('hiddenSizes', 'an array of integers in [1, 16777216]', options.hiddenSizes);
  }
  return {
    layerSizes: [
      requireSize('inputSize', options.inputSize),
      ...options.hiddenSizes.map((size, index) => requireSize(`hiddenSizes[${index}]`, size)),
      requireSize('outputSize', options.outputSize),
    ],
    activation: requireOneOf('activation', options.activation ?? 'relu', ACTIVATIONS),
    loss: requireOneOf('loss', options.loss ?? 'cross-entropy', LOSS_KINDS),
    init: requireOneOf('init', options.init ?? 'he-normal', DENSE_INITS),
  };
}

/** Variable name of layer `index`'s weight or bias, e.g. `layers.0.weight`. */
export function mlpVariableName(index: number, part: 'weight' | 'bias'): string {
  return `layers.${index}.${part}`;
}

/**
 * Initial values of every layer of an MLP drawn from `seed`: layer i draws from
 * `createRandom(seed).fork('layers.<i>')`, so an ensemble member with this seed starts identical.
 */
export function drawMlpValues(resolved: ResolvedMlpOptions, seed: number) {
  const random = createRandom(seed);
  return resolved.layerSizes.slice(1).map((fanOut, index) => {
    const fanIn = resolved.layerSizes[index] as number;
    return { fanIn, fanOut, ...drawDense(random.fork(`layers.${index}`), fanIn, fanOut, resolved.init) };
  });
}

/**
 * Creates an MLP: dense layers with the chosen activation between them and none after the last.
 * Variables are `layers.<i>.weight` [in, out] and `layers.<i>.bias` [out]. `forward` returns the
 * outputs (logits for cross-entropy); `loss` takes float targets of the output's shape or int32 labels.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createMlp } from '@emerge/transformer';
 *
 * const model = createMlp({ inputSize: 784, hiddenSizes: [256, 256], outputSize: 10, seed: 1 });
 * const images = tf.randomUniform([4, 784], 0, 1, 'float32', 1);
 * const labels = tf.tensor1d([3, 1, 4, 1], 'int32');
 * model.forward(images).shape; // => [4, 10]
 * const loss = model.loss(images, labels); // mean cross-entropy, near ln 10 at initialization
 * console.assert(model.forward(images).shape.join() === '4,10' && Number.isFinite(loss.dataSync()[0]!));
 * ```
 */
export function createMlp(options: MlpOptions): Mlp {
  const resolved = resolveMlpOptions(options);
  const seed = requireSeed('seed', options.seed);
  const variables = new VariableSet();
  const layers: DenseLayer[] = drawMlpValues(resolved, seed).map((values, index) => ({
    weight: variables.add(mlpVariableName(index, 'weight'), values.weight, [values.fanIn, values.fanOut]),
    bias: variables.add(mlpVariableName(index, 'bias'), values.bias, [values.fanOut]),
  }));
  const inputSize = resolved.layerSizes[0] as number;

  const hotInputs = options.hotInputs === undefined ? undefined : requireSize('hotInputs', options.hotInputs);
  const forward = (input: tf.Tensor2D): tf.Tensor2D => {
    if (hotInputs === undefined) {
      requireTensor('input', input, 'float32', [null, inputSize]);
      return denseStack(input, layers, resolved.activation) as tf.Tensor2D; // [batch, outputs]
    }
    requireTensor('input', input, 'int32', [null, hotInputs]);
    return tf.tidy(() => {
      const [first, ...rest] = layers as [DenseLayer, ...DenseLayer[]];
      const projected = tf.add(hotRowsProduct(input, first.weight as tf.Tensor2D), first.bias);
      return (
        rest.length === 0
          ? projected
          : denseStack(activate(resolved.activation, projected), rest, resolved.activation)
      ) as tf.Tensor2D;
    });
  };

  return {
    name: options.name ?? `mlp-${resolved.layerSizes.join('x')}`,
    layerSizes: resolved.layerSizes,
    variables: variables.map,
    forward,
    loss: (input: tf.Tensor2D, target: tf.Tensor, _options?: ForwardOptions) =>
      tf.tidy(() => tf.mean(exampleLosses(resolved.loss, forward(input), target)) as tf.Scalar),
    parameterCount: () => variables.scalarCount(),
    dispose: () => variables.dispose(),
  };
}
