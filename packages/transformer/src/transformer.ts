import type { ForwardOptions, Model } from '@emerge/core';
import { createRandom, OptionError, requireNumberInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { gelu } from './activation.js';
import { layerNorm } from './layer-norm.js';
import { maskedTokenCrossEntropy } from './loss.js';
import { requireSeed, requireSize, requireTensor } from './validation.js';
import { VariableSet } from './variables.js';

/** How {@link createTransformer} initializes its linear layers (see {@link TransformerOptions.linearInit}). */
export type LinearInit = 'normal' | 'fan-in-uniform';

/** Options of {@link createTransformer}. */
export interface TransformerOptions {
  /** Number of token ids. Required. */
  vocabSize: number;
  /** Longest sequence (number of learned positions). Required. */
  contextLength: number;
  /** Width of the residual stream, d_model. Required. */
  modelSize: number;
  /** Number of blocks. Required (0 gives embeddings straight into the head). */
  layerCount: number;
  /** Attention heads per block; must divide `modelSize`. Required. */
  headCount: number;
  /** Hidden width of each block's MLP as a multiple of `modelSize`. Default: 4. */
  mlpRatio?: number;
  /** Dropout rate on the embeddings and on each residual branch's output, used only when training. Default: 0. */
  dropout?: number;
  /** Standard deviation of the token and position embeddings at initialization. Default: 0.02. */
  embeddingStd?: number;
  /**
   * Standard deviation of the linear layers' weights at initialization (GPT-2 style); the two
   * projections that write into the residual stream use `weightStd / sqrt(2 * layerCount)`. Biases
   * start at 0, LayerNorm at scale 1 and shift 0. Default: 0.02.
   */
  weightStd?: number;
  /**
   * How the linear layers' weights start. `'normal'`: N(0, weightStd²) as described at `weightStd`,
   * biases 0 (GPT-2). `'fan-in-uniform'`: weights and biases U(−1/√fan_in, 1/√fan_in), PyTorch's
   * `nn.Linear` default, so a plain PyTorch reference can be matched; `weightStd` is then unused.
   * Default: `'normal'`.
   */
  linearInit?: LinearInit;
  /** Whether the output head reuses the token embedding (logits = x Eᵀ). Default: `false`. */
  tiedHead?: boolean;
  /** Whether attention is causal (a decoder); `false` gives the bidirectional (encoder) variant. Default: `true`. */
  causal?: boolean;
  /** Epsilon of every LayerNorm. Default: 1e-5 (PyTorch's default). */
  layerNormEpsilon?: number;
  /** Seed of the initialization and of the dropout masks. Required. */
  seed: number;
  /** Model name. Default: `transformer-d<modelSize>-l<layerCount>-h<headCount>`. */
  name?: string;
}

/**
 * A decoder-only (or bidirectional) Transformer over int32 token ids [batch, time] giving next-token
 * logits [batch, time, vocab]; create one with {@link createTransformer}.
 */
export interface Transformer extends Model<tf.Tensor2D, tf.Tensor2D, tf.Tensor3D> {
  /** The options with every default filled in. */
  readonly options: Readonly<Required<Omit<TransformerOptions, 'name'>>>;
  /** Attention weights of every layer, each [batch, heads, query time, key time]; rows sum to 1. */
  attentionWeights(input: tf.Tensor2D): tf.Tensor4D[];
  /**
   * The gradient of the loss with respect to the block input at each position (token plus position
   * embedding), [batch, time, modelSize]; the Transformer's counterpart of an RNN's dLoss/dx_t.
   */
  inputGradients(input: tf.Tensor2D, target: tf.Tensor2D): tf.Tensor3D;
}

/** Validates the options and fills in the defaults. */
export function resolveTransformerOptions(
  options: TransformerOptions,
): Required<Omit<TransformerOptions, 'name'>> {
  const modelSize = requireSize('modelSize', options.modelSize);
  const headCount = requireSize('headCount', options.headCount);
  if (modelSize % headCount !== 0) {
    throw new OptionError('headCount', `a divisor of modelSize (${modelSize})`, headCount);
  }
  const layerCount = options.layerCount;
  if (
    typeof layerCount !== 'number' ||
    !Number.isInteger(layerCount) ||
    layerCount < 0 ||
    layerCount > 1024
  ) {
    throw new OptionError('layerCount', 'an integer in [0, 1024]', layerCount);
  }
  return {
    vocabSize: requireSize('vocabSize', options.vocabSize),
    contextLength: requireSize('contextLength', options.contextLength),
    modelSize,
    layerCount,
    headCount,
    mlpRatio: requireSize('mlpRatio', options.mlpRatio ?? 4),
    dropout: requireNumberInRange('dropout', options.dropout ?? 0, 0, 0.99),
    embeddingStd: requireNumberInRange('embeddingStd', options.embeddingStd ?? 0.02, 0, 1e3),
    weightStd: requireNumberInRange('weightStd', options.weightStd ?? 0.02, 0, 1e3),
    linearInit: requireLinearInit(options.linearInit ?? 'normal'),
    tiedHead: requireBoolean('tiedHead', options.tiedHead ?? false),
    causal: requireBoolean('causal', options.causal ?? true),
    layerNormEpsilon: requireNumberInRange('layerNormEpsilon', options.layerNormEpsilon ?? 1e-5, 0, 1),
    seed: requireSeed('seed', options.seed),
  };
}

function requireLinearInit(value: unknown): LinearInit {
  if (value !== 'normal' && value !== 'fan-in-uniform') {
    throw new OptionError('linearInit', '"normal" or "fan-in-uniform"', value);
  }
  return value;
}

function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new OptionError(field, 'a boolean', value);
  return value;
}

/**
 * Creates a GPT-style Transformer: one-hot token embedding (a matMul, because wasm has no gradient for
 * `gather`) plus learned positions, pre-LayerNorm blocks of multi-head self-attention and a GELU MLP,
 * a final LayerNorm and a linear head. Variable names (all weights [in, out]):
 * `tokenEmbedding` [vocab, C], `positionEmbedding` [context, C], `blocks.<i>.attentionNorm.{weight,bias}`,
 * `blocks.<i>.attention.qkv.{weight [C, 3C] (query, key, value), bias}`, `blocks.<i>.attention.output.{weight,bias}`,
 * `blocks.<i>.mlpNorm.{weight,bias}`, `blocks.<i>.mlp.hidden.{weight,bias}`, `blocks.<i>.mlp.output.{weight,bias}`,
 * `finalNorm.{weight,bias}` and, untied, `head.weight` [C, vocab] (no bias).
 * `loss` is the mean next-token cross-entropy over target positions >= 0 (use -1 to skip a position).
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createTransformer } from '@emerge/transformer';
 *
 * const model = createTransformer({ vocabSize: 16, contextLength: 64, modelSize: 32, layerCount: 2, headCount: 4, seed: 1 });
 * const tokens = tf.tensor2d([[1, 2, 3, 4]], [1, 4], 'int32');
 * const logits = model.forward(tokens); // tokens int32 [batch, time] -> [batch, time, 16]
 * logits.shape; // => [1, 4, 16]
 * // Next-token loss; -1 marks a position that is not scored.
 * const loss = model.loss(tokens, tf.tensor2d([[2, 3, 4, -1]], [1, 4], 'int32'));
 * console.assert(logits.shape.join() === '1,4,16' && Math.abs(loss.dataSync()[0]! - Math.log(16)) < 0.5);
 * ```
 */
export function createTransformer(options: TransformerOptions): Transformer {
  const resolved = resolveTransformerOptions(options);
  const { vocabSize, contextLength, modelSize, layerCount, headCount, mlpRatio, layerNormEpsilon } = resolved;
  const headSize = modelSize / headCount;
  const random = createRandom(resolved.seed);
  const dropoutRandom = random.fork('dropout');
  const variables = new VariableSet();
  const normal = (name: string, shape: number[], std: number) =>
    variables.addNormal(name, shape, std, random.fork(name));
  const uniform = (name: string, shape: number[], bound: number) =>
    variables.addUniform(name, shape, bound, random.fork(name));
  const constant = (name: string, shape: number[], value: number) =>
    variables.add(name, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value), shape);
  const fanInUniform = resolved.linearInit === 'fan-in-uniform';
  const linear = (name: string, fanIn: number, fanOut: number, std: number) =>
    fanInUniform
      ? {
          weight: uniform(`${name}.weight`, [fanIn, fanOut], 1 / Math.sqrt(fanIn)),
          bias: uniform(`${name}.bias`, [fanOut], 1 / Math.sqrt(fanIn)),
        }
      : {
          weight: normal(`${name}.weight`, [fanIn, fanOut], std),
          bias: constant(`${name}.bias`, [fanOut], 0),
        };
  const layerNormParameters = (name: string) => ({
    weight: constant(`${name}.weight`, [modelSize], 1),
    bias: constant(`${name}.bias`, [modelSize], 0),
  });

  const residualStd = resolved.weightStd / Math.sqrt(2 * Math.max(layerCount, 1));
  const tokenEmbedding = normal('tokenEmbedding', [vocabSize, modelSize], resolved.embeddingStd);
  const positionEmbedding = normal('positionEmbedding', [contextLength, modelSize], resolved.embeddingStd);
  const blocks = Array.from({ length: layerCount }, (_, index) => {
    const prefix = `blocks.${index}`;
    return {
      attentionNorm: layerNormParameters(`${prefix}.attentionNorm`),
      qkv: linear(`${prefix}.attention.qkv`, modelSize, 3 * modelSize, resolved.weightStd),
      attentionOutput: linear(`${prefix}.attention.output`, modelSize, modelSize, residualStd),
      mlpNorm: layerNormParameters(`${prefix}.mlpNorm`),
      mlpHidden: linear(`${prefix}.mlp.hidden`, modelSize, mlpRatio * modelSize, resolved.weightStd),
      mlpOutput: linear(`${prefix}.mlp.output`, mlpRatio * modelSize, modelSize, residualStd),
    };
  });
  type Block = (typeof blocks)[number];
  const finalNorm = layerNormParameters('finalNorm');
  const head = resolved.tiedHead
    ? undefined
    : fanInUniform
      ? uniform('head.weight', [modelSize, vocabSize], 1 / Math.sqrt(modelSize))
      : normal('head.weight', [modelSize, vocabSize], resolved.weightStd);

  const dropout = (x: tf.Tensor3D, training: boolean): tf.Tensor3D =>
    training && resolved.dropout > 0
      ? (tf.dropout(x, resolved.dropout, undefined, dropoutRandom.nextUint32()) as tf.Tensor3D)
      : x;

  const normalize = (x: tf.Tensor3D, norm: { weight: tf.Tensor; bias: tf.Tensor }): tf.Tensor3D =>
    layerNorm(x, norm.weight, norm.bias, layerNormEpsilon);

  /** x [batch, time, in] through a linear layer as one 2-D matMul. */
  const project = (x: tf.Tensor3D, layer: { weight: tf.Tensor; bias: tf.Tensor }): tf.Tensor3D => {
    const [batch, time, width] = x.shape;
    const flat = tf.add(tf.matMul(x.reshape([batch * time, width]), layer.weight), layer.bias); // [batch*time, out]
    return flat.reshape([batch, time, flat.shape[1] as number]);
  };

  const attention = (x: tf.Tensor3D, block: Block, attentionMaps?: tf.Tensor4D[]): tf.Tensor3D => {
    const [batch, time] = x.shape;
    const toHeads = (part: tf.Tensor3D): tf.Tensor4D =>
      part.reshape([batch, time, headCount, headSize]).transpose([0, 2, 1, 3]); // [batch, heads, time, headSize]
    const [query, key, value] = tf
      .split(project(x, block.qkv), 3, 2)
      .map((part) => toHeads(part as tf.Tensor3D)) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    let scores = tf.mul(tf.matMul(query, key, false, true), 1 / Math.sqrt(headSize)); // [batch, heads, time, time]
    if (resolved.causal) scores = tf.add<tf.Tensor4D>(scores, futureMask(time)); // -1e9 above the diagonal
    const weights = tf.softmax(scores) as tf.Tensor4D; // [batch, heads, time, time]
    attentionMaps?.push(weights);
    const mixed = tf.matMul(weights, value).transpose([0, 2, 1, 3]).reshape([batch, time, modelSize]); // [batch, time, C]
    return project(mixed as tf.Tensor3D, block.attentionOutput);
  };

  const mlp = (x: tf.Tensor3D, block: Block): tf.Tensor3D =>
    project(gelu(project(x, block.mlpHidden)), block.mlpOutput);

  /** Blocks, final norm and head from the embedded input [batch, time, C] to logits [batch, time, vocab]. */
  const fromEmbeddings = (
    embedded: tf.Tensor3D,
    training: boolean,
    attentionMaps?: tf.Tensor4D[],
  ): tf.Tensor3D => {
    let x = dropout(embedded, training); // [batch, time, C]
    for (const block of blocks) {
      x = tf.add(x, dropout(attention(normalize(x, block.attentionNorm), block, attentionMaps), training));
      x = tf.add(x, dropout(mlp(normalize(x, block.mlpNorm), block), training));
    }
    const [batch, time] = x.shape;
    const flat = normalize(x, finalNorm).reshape([batch * time, modelSize]); // [batch*time, C]
    const logits = head ? tf.matMul(flat, head) : tf.matMul(flat, tokenEmbedding, false, true); // [batch*time, vocab]
    return logits.reshape([batch, time, vocabSize]);
  };

  const embed = (input: tf.Tensor2D): tf.Tensor3D => {
    requireTensor('input', input, 'int32', [null, null]);
    const [batch, time] = input.shape;
    if (time < 1 || time > contextLength) {
      throw new OptionError(
        'input',
        `token ids with 1 to contextLength (${contextLength}) positions`,
        `${time} positions`,
      );
    }
    const oneHot = tf.oneHot(input.reshape([batch * time]), vocabSize).toFloat(); // [batch*time, vocab]
    const tokens = tf.matMul(oneHot, tokenEmbedding).reshape([batch, time, modelSize]); // [batch, time, C]
    return tf.add(tokens, positionEmbedding.slice([0, 0], [time, modelSize])); // [batch, time, C]
  };

  const forward = (input: tf.Tensor2D, forwardOptions?: ForwardOptions): tf.Tensor3D =>
    tf.tidy(() => fromEmbeddings(embed(input), forwardOptions?.training ?? false));

  return {
    name: options.name ?? `transformer-d${modelSize}-l${layerCount}-h${headCount}`,
    options: resolved,
    variables: variables.map,
    forward,
    loss: (input, target, forwardOptions) =>
      tf.tidy(() => maskedTokenCrossEntropy(forward(input, forwardOptions), target)),
    attentionWeights(input) {
      return tf.tidy(() => {
        const maps: tf.Tensor4D[] = [];
        fromEmbeddings(embed(input), false, maps);
        return maps;
      });
    },
    inputGradients(input, target) {
      return tf.tidy(() => {
        const gradient = tf.grad((embedded: tf.Tensor) =>
          maskedTokenCrossEntropy(fromEmbeddings(embedded as tf.Tensor3D, false), target),
        );
        return gradient(embed(input)) as tf.Tensor3D;
      });
    },
    parameterCount: () => variables.scalarCount(),
    dispose: () => variables.dispose(),
  };
}

/**
 * An additive mask [time, time]: 0 on and below the diagonal, -1e9 above it (a query never sees later
 * keys). Filled in JavaScript and uploaded once: building it from tensor ops took eight kernels over
 * time² elements per layer and call (18 ms CPU at time 512 on wasm, against ~1 ms this way).
 */
function futureMask(time: number): tf.Tensor2D {
  const values = new Float32Array(time * time);
  for (let query = 0; query < time; query++) values.fill(-1e9, query * time + query + 1, (query + 1) * time);
  return tf.tensor2d(values, [time, time]);
}
