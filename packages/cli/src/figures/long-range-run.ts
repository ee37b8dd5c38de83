/**
 * The delayed-recall run of the §3 long-range comparison: one architecture (a 2-layer Transformer, or a
 * tanh RNN, an LSTM or a GRU matched to its parameter count) trained at one distance d from a marked key
 * to the query, with the same optimizer and step cap for all. The Transformer run at the largest d also
 * records its attention weights, which the `attention-map` figure draws.
 */
import { createDelayedRecall, createRandom, type DelayedRecallBatch, type Random } from '@emerge/core';
import { createAdam } from '@emerge/optim';
import { countTransformer, createRecurrent, createTransformer, type Transformer } from '@emerge/transformer';
import * as tf from '@tensorflow/tfjs';
import type { FigureRun, Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { matchedHiddenSize } from './matched-hidden-size.js';

/** The architectures compared. */
export type LongRangeModel = 'transformer' | 'lstm' | 'gru' | 'rnn';

/** The recurrent architectures, in drawing order. */
export const RECURRENT_MODELS = ['rnn', 'lstm', 'gru'] as const;

/** The setup of one preset. */
export interface LongRangeSetup {
  /** Distances d from the key to the query, increasing. */
  distances: number[];
  /** Plain symbols S (chance is 1/S). */
  symbols: number;
  /** Transformer width d_model (2 layers, learned positions, embeddings N(0, 0.02)). */
  modelSize: number;
  headCount: number;
  batchSize: number;
  /**
   * Adam learning rate, the same for every architecture: PyTorch's default 1e-3, with which the plain
   * PyTorch reference of FIGURES.md measured every recurrent model at chance from d = 16-32 on.
   */
  learningRate: number;
  /**
   * Learning rate of one more GRU run at the largest d, outside the equal-budget comparison: at 3e-3 a
   * GRU does learn the task (in PyTorch too), and the figure shows it beside the comparison.
   */
  contrastLearningRate: number;
  /** The step budget, the same for every architecture. */
  maxSteps: number;
  /** Steps between checks of the stopping rule. */
  checkEvery: number;
  /** Sequences in the fixed check set of the stopping rule. */
  checkSize: number;
  /** Training stops once the check-set accuracy reaches this. */
  targetAccuracy: number;
  /** Held-out sequences the reported accuracy is measured on. */
  testSize: number;
  /** Sequences per evaluation batch (attention over long sequences takes memory). */
  evaluationBatch: number;
  /** Held-out sequences whose attention weights the Transformer records. */
  probeSize: number;
}

/** The setup of each preset. */
export const longRangeSetups: Record<Preset, LongRangeSetup> = {
  smoke: {
    distances: [2, 4],
    symbols: 8,
    modelSize: 8,
    headCount: 2,
    batchSize: 8,
    learningRate: 1e-3,
    contrastLearningRate: 3e-3,
    maxSteps: 4,
    checkEvery: 2,
    checkSize: 8,
    targetAccuracy: 0.98,
    testSize: 16,
    evaluationBatch: 8,
    probeSize: 8,
  },
  quick: {
    distances: [4, 8, 16, 32, 64],
    symbols: 8,
    modelSize: 32,
    headCount: 4,
    batchSize: 32,
    learningRate: 1e-3,
    contrastLearningRate: 3e-3,
    maxSteps: 600,
    checkEvery: 25,
    checkSize: 256,
    targetAccuracy: 0.99,
    testSize: 512,
    evaluationBatch: 64,
    probeSize: 256,
  },
  full: {
    distances: [4, 8, 16, 32, 64, 128],
    symbols: 8,
    modelSize: 32,
    headCount: 4,
    batchSize: 32,
    learningRate: 1e-3,
    contrastLearningRate: 3e-3,
    maxSteps: 600,
    checkEvery: 25,
    checkSize: 256,
    targetAccuracy: 0.99,
    testSize: 1024,
    evaluationBatch: 16,
    probeSize: 512,
  },
};

/** Configuration of {@link longRangeRun}: one architecture at one distance, with its preset's settings. */
export interface LongRangeRunConfig
  extends Omit<LongRangeSetup, 'distances' | 'contrastLearningRate'>,
    Record<string, unknown> {
  model: LongRangeModel;
  distance: number;
  length: number;
  /** Hidden width of a recurrent model; 0 for the Transformer (whose width `modelSize` it is matched to). */
  hiddenSize: number;
  /** Held-out sequences whose attention is recorded (Transformer only; 0 records none). */
  probeSize: number;
}

/** Where one held-out example's query looks, per layer and head (index `layer * heads + head`). */
export interface ProbedExample {
  key: number;
  query: number;
  /** The key position with the largest attention weight from the query. */
  argmax: number[];
  /** The weight on the key position (3 decimals). */
  keyWeight: number[];
}

/** What the Transformer's attention does on held-out examples. */
export interface AttentionProbe {
  layerCount: number;
  headCount: number;
  examples: ProbedExample[];
  /** One example's full map for the head that finds the key most often: positions 0..query. */
  map: { layer: number; head: number; key: number; query: number; tokens: number[]; weights: number[][] };
}

/** What one run records. */
export interface LongRangeResult {
  /** Accuracy at the query on held-out sequences. */
  accuracy: number;
  /** Steps trained (the cap, or fewer if the stopping rule fired). */
  steps: number;
  /** The stopping rule's checks: check-set accuracy after `step` steps. */
  checks: Array<{ step: number; accuracy: number }>;
  parameterCount: number;
  attention?: AttentionProbe;
}

/**
 * Targets of delayed-recall sequences: the answer at each query position, -1 (not scored) elsewhere.
 * @example
 * ```ts
 * // Two sequences of length 3 with queries at positions 2 and 1, answers 5 and 7.
 * recallTargets(Int32Array.of(2, 1), Int32Array.of(5, 7), 3); // [-1, -1, 5, -1, 7, -1]
 * ```
 */
export function recallTargets(queryPositions: Int32Array, answers: Int32Array, length: number): Int32Array {
  const targets = new Int32Array(queryPositions.length * length).fill(-1);
  queryPositions.forEach((query, row) => {
    targets[row * length + query] = answers[row] ?? -1;
  });
  return targets;
}

/**
 * Index of the largest value of `values[offset .. offset + count)`, relative to `offset` (the first on
 * ties).
 * @example
 * ```ts
 * argmaxOf([9, 1, 3, 3, 2], 1, 4); // 1 (the first 3)
 * ```
 */
export function argmaxOf(values: ArrayLike<number>, offset: number, count: number): number {
  let best = 0;
  for (let index = 1; index < count; index++) {
    if ((values[offset + index] ?? 0) > (values[offset + best] ?? 0)) best = index;
  }
  return best;
}

/** A model as far as the run needs it: next-token logits [batch, time, vocab] and a masked loss. */
interface SequenceModel {
  forward(input: tf.Tensor2D): tf.Tensor3D;
  loss(input: tf.Tensor2D, target: tf.Tensor2D, options: { training: boolean }): tf.Scalar;
  variables: ReadonlyMap<string, tf.Variable>;
  parameterCount(): number;
  dispose(): void;
}

/** Runs `use` on consecutive slices of a batch's sequences as int32 tensors [rows, length]. */
function forEachSlice(
  batch: DelayedRecallBatch,
  count: number,
  sliceSize: number,
  use: (input: tf.Tensor2D, first: number, rows: number) => void,
): void {
  for (let first = 0; first < count; first += sliceSize) {
    const rows = Math.min(sliceSize, count - first);
    const tokens = batch.tokens.subarray(first * batch.length, (first + rows) * batch.length);
    const input = tf.tensor2d(tokens, [rows, batch.length], 'int32');
    try {
      use(input, first, rows);
    } finally {
      input.dispose();
    }
  }
}

/** Share of sequences whose most likely token at the query position is the answer. */
function queryAccuracy(model: SequenceModel, batch: DelayedRecallBatch, sliceSize: number): number {
  const count = batch.answers.length;
  let correct = 0;
  forEachSlice(batch, count, sliceSize, (input, first, rows) => {
    const predicted = tf.tidy(() => model.forward(input).argMax(2).dataSync()); // [rows * length]
    for (let row = 0; row < rows; row++) {
      const query = batch.queryPositions[first + row] ?? 0;
      if (predicted[row * batch.length + query] === batch.answers[first + row]) correct++;
    }
  });
  return correct / count;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Records, for the first `probeSize` held-out sequences, where each head's attention from the query
 * position peaks and how much weight it puts on the key, plus one full map (positions 0..query) of the
 * first sequence for the head whose peak falls on the key most often.
 */
function probeAttention(
  transformer: Transformer,
  batch: DelayedRecallBatch,
  probeSize: number,
  sliceSize: number,
): AttentionProbe {
  const { layerCount, headCount } = transformer.options;
  const { length } = batch;
  const examples: ProbedExample[] = [];
  let firstMaps: Float32Array[] = [];
  forEachSlice(batch, probeSize, sliceSize, (input, first, rows) => {
    // Each layer's weights [rows, heads, time, time], flattened.
    const layers = tf.tidy(() =>
      transformer.attentionWeights(input).map((weights) => weights.dataSync() as Float32Array),
    );
    if (first === 0) firstMaps = layers.map((weights) => weights.slice(0, headCount * length * length));
    for (let row = 0; row < rows; row++) {
      const key = batch.keyPositions[first + row] ?? 0;
      const query = batch.queryPositions[first + row] ?? 0;
      const argmax: number[] = [];
      const keyWeight: number[] = [];
      layers.forEach((weights) => {
        for (let head = 0; head < headCount; head++) {
          const rowStart = ((row * headCount + head) * length + query) * length;
          argmax.push(argmaxOf(weights, rowStart, query + 1));
          keyWeight.push(round3(weights[rowStart + key] ?? 0));
        }
      });
      examples.push({ key, query, argmax, keyWeight });
    }
  });
  const best = bestHead(examples, layerCount * headCount);
  const layer = Math.floor(best / headCount);
  const head = best % headCount;
  const first = examples[0] ?? { key: 0, query: 0 };
  const firstMap = firstMaps[layer] ?? new Float32Array(0);
  const weights = Array.from({ length: first.query + 1 }, (_, queryRow) =>
    Array.from({ length: first.query + 1 }, (_, column) =>
      round3(firstMap[(head * length + queryRow) * length + column] ?? 0),
    ),
  );
  const tokens = Array.from(batch.tokens.subarray(0, first.query + 1));
  return {
    layerCount,
    headCount,
    examples,
    map: { layer, head, key: first.key, query: first.query, tokens, weights },
  };
}

/**
 * The head (index `layer * heads + head`) whose attention from the query peaks on the key in the most
 * examples; ties go to the larger mean weight on the key, then to the lower index.
 * @example
 * ```ts
 * bestHead([{ key: 1, query: 3, argmax: [0, 1], keyWeight: [0.1, 0.9] }], 2); // 1
 * ```
 */
export function bestHead(examples: ProbedExample[], heads: number): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < heads; index++) {
    const hits = examples.filter((example) => example.argmax[index] === example.key).length;
    const weight = examples.reduce((sum, example) => sum + (example.keyWeight[index] ?? 0), 0);
    const score = hits * examples.length + weight; // hits first, weight (< examples.length) breaks ties
    if (score > bestScore) {
      best = index;
      bestScore = score;
    }
  }
  return best;
}

/** Builds the run's model: the Transformer, or a recurrent model reading the same token ids. */
function buildModel(config: LongRangeRunConfig, vocabSize: number, seed: number): SequenceModel {
  if (config.model === 'transformer') {
    return createTransformer({
      vocabSize,
      contextLength: config.length,
      modelSize: config.modelSize,
      layerCount: 2,
      headCount: config.headCount,
      seed,
    });
  }
  const recurrent = createRecurrent({
    cell: config.model,
    vocabSize,
    hiddenSize: config.hiddenSize,
    outputSize: vocabSize,
    seed,
  });
  return {
    forward: (input) => recurrent.forward(input),
    loss: (input, target, options) => recurrent.loss(input, target, options),
    variables: recurrent.variables,
    parameterCount: () => recurrent.parameterCount(),
    dispose: () => recurrent.dispose(),
  };
}

/** A fresh batch of training sequences per step, from the run's data stream. */
function trainingBatch(config: LongRangeRunConfig, random: Random): DelayedRecallBatch {
  return createDelayedRecall({
    distance: config.distance,
    length: config.length,
    symbols: config.symbols,
    count: config.batchSize,
    seed: random.nextUint32(),
  });
}

/**
 * One architecture at one distance: Adam on fresh batches (the loss is scored at the query position
 * only) until the check-set accuracy reaches the target or the step cap, then accuracy on held-out
 * sequences. The data (training batches, check and test sets) depend on the seed and distance only,
 * so every architecture sees the same sequences. A Transformer with `probeSize > 0` also records its
 * attention on held-out sequences.
 */
export function longRangeRun(config: LongRangeRunConfig, seed: number): LongRangeResult {
  const random = createRandom(seed).fork(`distance-${config.distance}`);
  const task = (label: string, count: number) =>
    createDelayedRecall({
      distance: config.distance,
      length: config.length,
      symbols: config.symbols,
      count,
      seed: random.fork(label).seed,
    });
  const checkSet = task('check', config.checkSize);
  const testSet = task('test', config.testSize);
  const dataStream = random.fork('training');
  const vocabSize = checkSet.vocabularySize;
  const model = buildModel(config, vocabSize, createRandom(seed).fork(`model-${config.model}`).seed);
  const optimizer = createAdam({ variables: model.variables, learningRate: config.learningRate });
  try {
    const checks: Array<{ step: number; accuracy: number }> = [];
    let steps = 0;
    while (steps < config.maxSteps) {
      const batch = trainingBatch(config, dataStream);
      const input = tf.tensor2d(batch.tokens, [config.batchSize, config.length], 'int32');
      const target = tf.tensor2d(
        recallTargets(batch.queryPositions, batch.answers, config.length),
        [config.batchSize, config.length],
        'int32',
      );
      optimizer.minimize(() => model.loss(input, target, { training: true }));
      tf.dispose([input, target]);
      steps++;
      if (steps % config.checkEvery === 0 || steps === config.maxSteps) {
        const accuracy = queryAccuracy(model, checkSet, config.evaluationBatch);
        checks.push({ step: steps, accuracy });
        if (accuracy >= config.targetAccuracy) break;
      }
    }
    const result: LongRangeResult = {
      accuracy: queryAccuracy(model, testSet, config.evaluationBatch),
      steps,
      checks,
      parameterCount: model.parameterCount(),
    };
    if (config.model === 'transformer' && config.probeSize > 0) {
      result.attention = probeAttention(
        model as Transformer,
        testSet,
        Math.min(config.probeSize, config.testSize),
        config.evaluationBatch,
      );
    }
    return result;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** The Transformer's parameters without its position table (which grows with the sequence length). */
export function transformerParametersWithoutPositions(
  vocabSize: number,
  modelSize: number,
  headCount: number,
): number {
  return (
    countTransformer({ vocabSize, contextLength: 1, modelSize, layerCount: 2, headCount }).parameters -
    modelSize
  );
}

/** The run of one architecture at one distance of a preset. */
export function longRangeRunConfig(
  setup: LongRangeSetup,
  model: LongRangeModel,
  distance: number,
): LongRangeRunConfig {
  const { distances, contrastLearningRate, ...settings } = setup;
  const vocabSize = 2 * setup.symbols + 1;
  const matched = transformerParametersWithoutPositions(vocabSize, setup.modelSize, setup.headCount);
  return {
    ...settings,
    model,
    distance,
    // FIGURES.md: sequences of length 2d, the key at a random one of the first d positions.
    length: 2 * distance,
    hiddenSize: model === 'transformer' ? 0 : matchedHiddenSize(model, vocabSize, vocabSize, matched),
    probeSize: model === 'transformer' ? setup.probeSize : 0,
  };
}

/** The sweep entry of one run config. */
export function longRangeFigureRun(config: LongRangeRunConfig, seed: number): FigureRun {
  return { task: runsModuleUrl, exportName: 'longRangeRun', seed, config };
}

/**
 * The run of the Transformer at the largest distance of a preset: `attention-map` sweeps exactly this
 * run, so the run cache trains that model once for both figures.
 */
export function longestTransformerRun(preset: Preset, seed: number): FigureRun {
  const setup = longRangeSetups[preset];
  return longRangeFigureRun(
    longRangeRunConfig(setup, 'transformer', setup.distances[setup.distances.length - 1] ?? 1),
    seed,
  );
}
