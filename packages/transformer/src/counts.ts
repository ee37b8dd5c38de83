import type { MlpOptions } from './mlp.js';
import { resolveMlpOptions } from './mlp.js';
import { GATE_COUNTS, RECURRENT_CELLS, type RecurrentOptions } from './recurrent.js';
import { resolveTransformerOptions, type TransformerOptions } from './transformer.js';
import { requireOneOf, requireSize } from './validation.js';

/** Parameter and compute counts of a Transformer configuration; see {@link countTransformer}. */
export interface TransformerCounts {
  /** Every trainable scalar (equals `parameterCount()` of the built model). */
  parameters: number;
  /**
   * Parameters without the vocabulary and position matrices (token embedding, position embedding and
   * an untied head), Kaplan et al.'s N: about 12 · layers · modelSize² for mlpRatio 4.
   */
  nonEmbeddingParameters: number;
  /** The 6N rule: 6 · nonEmbeddingParameters (2N forward + 4N backward per token). */
  trainingFlopsPerToken6N: number;
  /** Kaplan et al. 2020 Table 1: 6N + 6 · layers · sequenceLength · modelSize (adds attention over the context). */
  trainingFlopsPerTokenKaplan: number;
  /**
   * This implementation's matrix-multiply FLOPs per token, times 3 for training (the backward pass of
   * each matMul is two matMuls of the same size): the one-hot embedding matMul 2·V·C; per layer the
   * QKV projection 2·C·3C, scores and mixing 2·T·C each (the full T×T square: the causal mask saves
   * no work), the output projection 2·C², the MLP 2·2·C·rC; the head 2·C·V. Elementwise ops, softmax
   * and LayerNorm are not counted.
   */
  trainingFlopsPerTokenExact: number;
}

/**
 * Counts a Transformer's parameters and training FLOPs per token without building it.
 * @param sequenceLength tokens per sequence for the attention terms. Default: `contextLength`.
 * @example
 * ```ts
 * import { countTransformer } from '@emerge/transformer';
 *
 * const { nonEmbeddingParameters, trainingFlopsPerToken6N } = countTransformer({
 *   vocabSize: 16, contextLength: 64, modelSize: 32, layerCount: 2, headCount: 4,
 * });
 * nonEmbeddingParameters; // => 25,344: 12 * C^2 per layer plus biases and norms
 * console.assert(trainingFlopsPerToken6N === 6 * nonEmbeddingParameters);
 * ```
 */
export function countTransformer(
  options: Omit<TransformerOptions, 'seed'> & { seed?: number },
  sequenceLength = options.contextLength,
): TransformerCounts {
  const { vocabSize, contextLength, modelSize, layerCount, mlpRatio, tiedHead } = resolveTransformerOptions({
    ...options,
    seed: options.seed ?? 0,
  });
  const time = requireSize('sequenceLength', sequenceLength);
  const hiddenWidth = mlpRatio * modelSize;
  const perLayer =
    2 * modelSize + // attention LayerNorm
    modelSize * 3 * modelSize +
    3 * modelSize + // query, key, value
    modelSize * modelSize +
    modelSize + // attention output
    2 * modelSize + // MLP LayerNorm
    modelSize * hiddenWidth +
    hiddenWidth + // MLP hidden
    hiddenWidth * modelSize +
    modelSize; // MLP output
  const vocabularyMatrices =
    vocabSize * modelSize + contextLength * modelSize + (tiedHead ? 0 : modelSize * vocabSize);
  const nonEmbeddingParameters = layerCount * perLayer + 2 * modelSize;
  const forwardPerLayer =
    2 * modelSize * 3 * modelSize +
    2 * 2 * time * modelSize +
    2 * modelSize * modelSize +
    2 * 2 * modelSize * hiddenWidth;
  const forward = 2 * vocabSize * modelSize + layerCount * forwardPerLayer + 2 * modelSize * vocabSize;
  return {
    parameters: nonEmbeddingParameters + vocabularyMatrices,
    nonEmbeddingParameters,
    trainingFlopsPerToken6N: 6 * nonEmbeddingParameters,
    trainingFlopsPerTokenKaplan: 6 * nonEmbeddingParameters + 6 * layerCount * time * modelSize,
    trainingFlopsPerTokenExact: 3 * forward,
  };
}

/** Parameter and compute counts of a feed-forward or recurrent model. */
export interface ModelCounts {
  /** Every trainable scalar (equals `parameterCount()` of the built model). */
  parameters: number;
  /** Matrix-multiply FLOPs of one training example (MLP) or one time step (recurrent): 3 · 2 · Σ in·out. */
  trainingFlops: number;
}

/**
 * Counts an MLP's parameters (Σ in·out + out) and training FLOPs per example (6 · Σ in·out).
 * @example
 * ```ts
 * import { countMlp } from '@emerge/transformer';
 *
 * countMlp({ inputSize: 784, hiddenSizes: [256, 256], outputSize: 10 }).parameters; // => 269_322
 * console.assert(countMlp({ inputSize: 784, hiddenSizes: [256, 256], outputSize: 10 }).parameters === 269_322);
 * ```
 */
export function countMlp(options: Omit<MlpOptions, 'seed'>): ModelCounts {
  const { layerSizes } = resolveMlpOptions(options);
  let weights = 0;
  let biases = 0;
  for (let index = 1; index < layerSizes.length; index++) {
    weights += (layerSizes[index - 1] as number) * (layerSizes[index] as number);
    biases += layerSizes[index] as number;
  }
  return { parameters: weights + biases, trainingFlops: 6 * weights };
}

/**
 * Counts a recurrent model's parameters, G·H·(inputWidth + H) + 2·G·H + H·outputs + outputs with
 * G = 1, 4, 3 for rnn, lstm, gru (PyTorch's two biases), and its training FLOPs per time step,
 * 6 · (G·H·(inputWidth + H) + H·outputs).
 * @example
 * ```ts
 * import { countRecurrent } from '@emerge/transformer';
 *
 * // LSTM, 4 gates of 64 on one-hot inputs of 10: 4·64·(10 + 64) + 2·4·64 + 64·8 + 8.
 * countRecurrent({ cell: 'lstm', vocabSize: 10, hiddenSize: 64, outputSize: 8 }).parameters; // => 19_976
 * console.assert(countRecurrent({ cell: 'lstm', vocabSize: 10, hiddenSize: 64, outputSize: 8 }).parameters === 19_976);
 * ```
 */
export function countRecurrent(options: Omit<RecurrentOptions, 'seed'>): ModelCounts {
  const cell = requireOneOf('cell', options.cell, RECURRENT_CELLS);
  const hidden = requireSize('hiddenSize', options.hiddenSize);
  const outputs = requireSize('outputSize', options.outputSize);
  const inputWidth = requireSize(
    options.vocabSize === undefined ? 'inputSize' : 'vocabSize',
    options.vocabSize ?? options.inputSize,
  );
  const gateWidth = GATE_COUNTS[cell] * hidden;
  const weights = gateWidth * (inputWidth + hidden) + hidden * outputs;
  return { parameters: weights + 2 * gateWidth + outputs, trainingFlops: 6 * weights };
}
