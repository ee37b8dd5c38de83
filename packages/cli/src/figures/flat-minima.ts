/**
 * The trained minima behind `sharpness-batch`, `landscape-1d` and `landscape-2d` (§5): an MNIST MLP
 * trained with the same optimizer and learning rate at several batch sizes until its training loss is
 * below a target, then measured where it stopped (top Hessian eigenvalue, Keskar's epsilon-sharpness,
 * accuracy). A run that trains the smallest and the largest batch size together also draws the
 * landscapes between and around those two minima, because a landscape needs the weights of both and a
 * run cannot read another run's result. The three figures call the same export with the same config,
 * so the sweep cache trains every minimum once.
 */
import { averagePool, createRandom, loadMnist, shuffledBatches, splitMnist } from '@emerge/core';
import {
  createHessianOperator,
  createSgd,
  epsilonSharpness,
  filterNormalizedDirection,
  interpolateParameters,
  lossSlice,
  lossSurface,
  readParameters,
  topEigenvalues,
  train,
} from '@emerge/optim';
import { createMlp, type Mlp } from '@emerge/transformer';
import * as tf from '@tensorflow/tfjs';
import type { FigureRun, FigureRunResult, Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';

const CLASSES = 10;
const MNIST_SIDE = 28;

/** The optimizer of every batch size: SGD with momentum, at one learning rate for every batch size (Keskar et al. also keep it fixed). */
export interface FlatMinimaOptimizer {
  kind: 'sgd';
  learningRate: number;
  momentum: number;
}

/** Where and how finely the landscapes of the smallest and largest batch size are drawn. */
export interface FlatMinimaLandscapeConfig {
  /** Interpolation: `count` alphas evenly from `from` to `to` (0 = small-batch, 1 = large-batch minimum). */
  alphas: { from: number; to: number; count: number };
  /** Filter-normalized random directions of the 1-D slices around each minimum. */
  sliceDirections: number;
  /** The 1-D slices run over t in [-radius, radius] at `points` evenly spaced steps. */
  slice: { radius: number; points: number };
  /** The 2-D surfaces run over [-radius, radius]^2 at `points` x `points` steps. */
  surface: { radius: number; points: number };
}

/** What every run of a preset shares: data, model, optimizer, stopping rule and measurements. */
export interface FlatMinimaBaseConfig {
  /** Training digits (balanced over classes). */
  trainSize: number;
  /** Test digits. */
  testSize: number;
  /** Average-pooling factor of the 28 x 28 images (1 keeps 784 inputs, 2 gives 196). */
  pool: number;
  /** Hidden widths of the ReLU MLP. */
  hiddenSizes: number[];
  optimizer: FlatMinimaOptimizer;
  /** Training stops at the first epoch end where the full training loss is below this. */
  targetLoss: number;
  /** ... or after this many epochs. */
  epochCap: number;
  /** Training examples (the first ones of the training set) of the loss whose Hessian is measured. */
  hessianExamples: number;
  /** Power-iteration products at most for the top eigenvalue. */
  powerIterations: number;
  /** Power iteration stops when the estimate changes by less than this, relatively. */
  powerTolerance: number;
  /** Finite-difference step of the Hessian-vector products, relative to the parameter norm. */
  relativeStep: number;
  /** Box size of Keskar's epsilon-sharpness. */
  epsilon: number;
  /** Ascent steps of the epsilon-sharpness maximization. */
  epsilonIterations: number;
}

/** Configuration of {@link flatMinimaRun}; every field is part of the cache key. */
export interface FlatMinimaRunConfig extends FlatMinimaBaseConfig, Record<string, unknown> {
  /** Batch sizes trained in this run, each from the same initialization. */
  batchSizes: number[];
  /** Landscapes of the first (smallest) and last (largest) batch size; omit for none. */
  landscape?: FlatMinimaLandscapeConfig;
}

/** What one trained minimum measured. */
export interface TrainedMinimum {
  batchSize: number;
  epochs: number;
  steps: number;
  /** Mean training loss over the whole training set when training stopped. */
  finalTrainLoss: number;
  reachedTarget: boolean;
  trainAccuracy: number;
  testAccuracy: number;
  testLoss: number;
  /** Top eigenvalue of the Hessian of the training loss on `hessianExamples` examples. */
  topEigenvalue: number;
  hessianProducts: number;
  /** Keskar et al.'s epsilon-sharpness in percent. */
  epsilonSharpness: number;
}

/** Landscapes between and around the smallest-batch and the largest-batch minimum. */
export interface FlatMinimaLandscape {
  smallBatch: number;
  largeBatch: number;
  /** theta(alpha) = alpha theta_large + (1 - alpha) theta_small. */
  alphas: number[];
  interpolation: { trainLoss: number[]; trainAccuracy: number[]; testLoss: number[]; testAccuracy: number[] };
  /** Steps t of the 1-D slices (in units of the filter-normalized direction). */
  sliceCoordinates: number[];
  /** Training loss along each direction: `[direction][t]`, small- and large-batch minimum. */
  slices: { small: number[][]; large: number[][] };
  /** Coordinates of both axes of the 2-D surfaces. */
  surfaceCoordinates: number[];
  /** Training loss (on the Hessian examples) `[row][column]` around each minimum. */
  surfaces: { small: number[][]; large: number[][] };
}

/** The result of {@link flatMinimaRun}. */
export interface FlatMinimaResult {
  minima: TrainedMinimum[];
  landscape?: FlatMinimaLandscape;
}

/** `count` evenly spaced numbers from `from` to `to` inclusive (rounded to 12 digits, so 0 is exact). */
export function evenlySpaced(from: number, to: number, count: number): number[] {
  if (count === 1) return [from];
  return Array.from({ length: count }, (_, index) =>
    Number((from + ((to - from) * index) / (count - 1)).toFixed(12)),
  );
}

/** A split as tensors: pixels [count, inputs] and int32 labels [count]. */
interface Split {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** Mean cross-entropy and accuracy of the model on a split (call inside `tf.tidy`). */
function lossAndAccuracy(model: Mlp, split: Split): { loss: number; accuracy: number } {
  const logits = model.forward(split.x);
  const loss = tf.mean(
    tf.sub(tf.logSumExp(logits, -1), tf.sum(tf.mul(tf.oneHot(split.y, CLASSES), logits), -1)),
  );
  const accuracy = tf.mean(tf.equal(tf.argMax(logits, -1), split.y).toFloat());
  return { loss: loss.dataSync()[0] ?? Number.NaN, accuracy: accuracy.dataSync()[0] ?? Number.NaN };
}

/**
 * Trains until the full training loss is below the target at an epoch end. The full loss is taken only
 * once the epoch's mean batch loss is below twice the target (batch losses are measured before each
 * update, so they overstate the loss at the epoch's end), which spares most full passes.
 */
function trainToTarget(
  model: Mlp,
  trainSplit: Split,
  config: FlatMinimaRunConfig,
  batchSize: number,
  seed: number,
): { epochs: number; steps: number; reachedTarget: boolean } {
  const count = trainSplit.y.shape[0];
  const stepsPerEpoch = Math.ceil(count / batchSize);
  const orderSeed = createRandom(seed).fork(`batches-${batchSize}`).seed;
  const optimizer = createSgd({
    variables: model.variables,
    learningRate: config.optimizer.learningRate,
    momentum: config.optimizer.momentum,
  });
  let epochBatches: Int32Array[] = [];
  let epochLossSum = 0;
  let epochs = 0;
  let reachedTarget = false;
  const history = train({
    optimizer,
    loss: (batch: Split) => model.loss(batch.x, batch.y),
    batch: (_step, { epoch, stepInEpoch }) => {
      if (stepInEpoch === 0) epochBatches = shuffledBatches({ count, batchSize, seed: orderSeed, epoch });
      const indices = tf.tensor1d(epochBatches[stepInEpoch] as Int32Array, 'int32');
      const batch = { x: tf.gather(trainSplit.x, indices), y: tf.gather(trainSplit.y, indices) };
      indices.dispose();
      return batch;
    },
    disposeBatch: true,
    epochs: config.epochCap,
    stepsPerEpoch,
    recordLossEvery: stepsPerEpoch,
    onStep: (completed, loss) => {
      epochLossSum += loss;
      if (completed % stepsPerEpoch !== 0) return undefined;
      epochs = completed / stepsPerEpoch;
      const epochMean = epochLossSum / stepsPerEpoch;
      epochLossSum = 0;
      if (epochMean >= 2 * config.targetLoss) return undefined;
      reachedTarget = tf.tidy(() => lossAndAccuracy(model, trainSplit)).loss < config.targetLoss;
      return reachedTarget ? 'stop' : undefined;
    },
  });
  optimizer.dispose();
  return { epochs, steps: history.stepsTaken, reachedTarget };
}

/** Top Hessian eigenvalue and epsilon-sharpness of the training loss on the Hessian examples. */
function measureSharpness(model: Mlp, hessianSplit: Split, config: FlatMinimaRunConfig, seed: number) {
  const loss = () => model.loss(hessianSplit.x, hessianSplit.y);
  const hessian = createHessianOperator({
    variables: model.variables,
    loss,
    relativeStep: config.relativeStep,
  });
  const top = topEigenvalues(hessian, {
    iterations: config.powerIterations,
    tolerance: config.powerTolerance,
    random: createRandom(seed).fork('power-iteration'),
  });
  const epsilon = epsilonSharpness({
    variables: model.variables,
    loss,
    epsilon: config.epsilon,
    iterations: config.epsilonIterations,
    random: createRandom(seed).fork('epsilon-sharpness'),
  });
  return {
    topEigenvalue: top.values[0] ?? Number.NaN,
    hessianProducts: top.products,
    epsilonSharpness: epsilon.sharpness,
  };
}

/** Loads the digits of a seed, pooled, as tensors (the caller disposes them). */
async function loadSplits(config: FlatMinimaRunConfig, seed: number) {
  const { train: trainSet, test: testSet } = splitMnist(await loadMnist(), {
    trainSize: config.trainSize,
    testSize: config.testSize,
    seed: createRandom(seed).fork('split').seed,
    balanced: true,
  });
  const side = MNIST_SIDE / config.pool;
  const toSplit = (set: typeof trainSet): Split => ({
    x: tf.tensor2d(
      config.pool === 1 ? set.images : averagePool(set.images, set.count, MNIST_SIDE, config.pool),
      [set.count, side * side],
    ),
    y: tf.tensor1d(Int32Array.from(set.labels), 'int32'),
  });
  const trainSplit = toSplit(trainSet);
  const testSplit = toSplit(testSet);
  const hessianCount = Math.min(config.hessianExamples, config.trainSize);
  const hessianSplit: Split = {
    x: trainSplit.x.slice([0, 0], [hessianCount, side * side]),
    y: trainSplit.y.slice([0], [hessianCount]),
  };
  return { trainSplit, testSplit, hessianSplit, inputSize: side * side };
}

/**
 * Trains one MLP per batch size of the config (all from the same initialization and data), measures
 * each minimum, and, when `landscape` is set, draws the landscapes of the first and last batch size.
 * @example
 * ```ts
 * const { minima } = await flatMinimaRun({ ...config, batchSizes: [128] }, 0);
 * minima[0].topEigenvalue;
 * ```
 */
export async function flatMinimaRun(config: FlatMinimaRunConfig, seed: number): Promise<FlatMinimaResult> {
  const { trainSplit, testSplit, hessianSplit, inputSize } = await loadSplits(config, seed);
  const initSeed = createRandom(seed).fork('init').seed;
  const models: Mlp[] = [];
  try {
    const minima = config.batchSizes.map((batchSize): TrainedMinimum => {
      const model = createMlp({
        inputSize,
        hiddenSizes: config.hiddenSizes,
        outputSize: CLASSES,
        seed: initSeed,
      });
      models.push(model);
      const trained = trainToTarget(model, trainSplit, config, batchSize, seed);
      const trainMetrics = tf.tidy(() => lossAndAccuracy(model, trainSplit));
      const testMetrics = tf.tidy(() => lossAndAccuracy(model, testSplit));
      return {
        batchSize,
        ...trained,
        finalTrainLoss: trainMetrics.loss,
        trainAccuracy: trainMetrics.accuracy,
        testAccuracy: testMetrics.accuracy,
        testLoss: testMetrics.loss,
        ...measureSharpness(model, hessianSplit, config, seed),
      };
    });
    const small = models[0];
    const large = models[models.length - 1];
    if (config.landscape === undefined || small === undefined || large === undefined || small === large) {
      return { minima };
    }
    const landscape = drawLandscape(
      config,
      config.landscape,
      small,
      large,
      { trainSplit, testSplit, hessianSplit },
      seed,
    );
    return { minima, landscape };
  } finally {
    for (const model of models) model.dispose();
    tf.dispose([trainSplit.x, trainSplit.y, testSplit.x, testSplit.y, hessianSplit.x, hessianSplit.y]);
  }
}

/** The interpolation, the 1-D slices and the 2-D surfaces of the small- and large-batch minimum. */
function drawLandscape(
  config: FlatMinimaRunConfig,
  landscape: FlatMinimaLandscapeConfig,
  small: Mlp,
  large: Mlp,
  splits: { trainSplit: Split; testSplit: Split; hessianSplit: Split },
  seed: number,
): FlatMinimaLandscape {
  const { trainSplit, testSplit, hessianSplit } = splits;
  const alphas = evenlySpaced(landscape.alphas.from, landscape.alphas.to, landscape.alphas.count);
  // The small model's variables walk the line; both endpoints are read before it moves.
  const line = interpolateParameters({
    variables: small.variables,
    from: readParameters(small.variables),
    to: readParameters(large.variables),
    alphas,
    evaluate: () => {
      const onTrain = lossAndAccuracy(small, trainSplit);
      const onTest = lossAndAccuracy(small, testSplit);
      return {
        trainLoss: onTrain.loss,
        trainAccuracy: onTrain.accuracy,
        testLoss: onTest.loss,
        testAccuracy: onTest.accuracy,
      };
    },
  });
  const sliceCoordinates = evenlySpaced(
    -landscape.slice.radius,
    landscape.slice.radius,
    landscape.slice.points,
  );
  const surfaceCoordinates = evenlySpaced(
    -landscape.surface.radius,
    landscape.surface.radius,
    landscape.surface.points,
  );
  // The same Gaussian draw (same fork) is filter-normalized to each minimum, so equal t means equal
  // relative perturbation at both.
  const directionAt = (model: Mlp, label: string) =>
    filterNormalizedDirection({ variables: model.variables, random: createRandom(seed).fork(label) });
  const slicesOf = (model: Mlp) =>
    Array.from(
      { length: landscape.sliceDirections },
      (_, index) =>
        lossSlice({
          variables: model.variables,
          direction: directionAt(model, `slice-${index}`),
          coordinates: sliceCoordinates,
          evaluate: () => ({ loss: lossAndAccuracy(model, trainSplit).loss }),
        }).metrics.loss ?? [],
    );
  const surfaceOf = (model: Mlp) =>
    lossSurface({
      variables: model.variables,
      directions: [directionAt(model, 'surface-x'), directionAt(model, 'surface-y')],
      xCoordinates: surfaceCoordinates,
      yCoordinates: surfaceCoordinates,
      evaluate: () => ({ loss: lossAndAccuracy(model, hessianSplit).loss }),
    }).metrics.loss ?? [];
  return {
    smallBatch: config.batchSizes[0] ?? 0,
    largeBatch: config.batchSizes[config.batchSizes.length - 1] ?? 0,
    alphas,
    interpolation: {
      trainLoss: line.metrics.trainLoss ?? [],
      trainAccuracy: line.metrics.trainAccuracy ?? [],
      testLoss: line.metrics.testLoss ?? [],
      testAccuracy: line.metrics.testAccuracy ?? [],
    },
    sliceCoordinates,
    slices: { small: slicesOf(small), large: slicesOf(large) },
    surfaceCoordinates,
    surfaces: { small: surfaceOf(small), large: surfaceOf(large) },
  };
}

/** The optimizer in words, e.g. `SGD (lr 0.05, momentum 0.9)`. */
export function describeOptimizer(optimizer: FlatMinimaOptimizer, lang: 'en' | 'zh'): string {
  return lang === 'en'
    ? `SGD (lr ${optimizer.learningRate}, momentum ${optimizer.momentum})`
    : `SGD（学习率 ${optimizer.learningRate}，动量 ${optimizer.momentum}）`;
}

/** The setup of one preset, shared by the three figures so that their runs hit the same cache entries. */
export interface FlatMinimaSetup {
  /** Everything of a run's config except its batch sizes and landscape. */
  base: FlatMinimaBaseConfig;
  /** Batch sizes in increasing order; the first and last are the small- and large-batch minima. */
  batchSizes: number[];
  /** Seeds per figure: `seed, seed + 1, ...`. */
  seeds: number;
  landscape: FlatMinimaLandscapeConfig;
}

const sgd: FlatMinimaOptimizer = { kind: 'sgd', learningRate: 0.05, momentum: 0.9 };

/**
 * quick: 196 pooled inputs and 128-unit layers, so that batch 2,048 (about 370 epochs to a training
 * loss of 0.01) fits the time budget; 20 power-iteration products on 2,000 examples, because the
 * eigenvalues of neighbouring batch sizes differ by 2x or more and a lower bound keeps their order.
 */
export const flatMinimaSetups: Record<Preset, FlatMinimaSetup> = {
  smoke: {
    base: {
      trainSize: 120,
      testSize: 60,
      pool: 4,
      hiddenSizes: [16],
      optimizer: sgd,
      targetLoss: 0.01,
      epochCap: 2,
      hessianExamples: 60,
      powerIterations: 3,
      powerTolerance: 1e-3,
      relativeStep: 1e-2,
      epsilon: 1e-3,
      epsilonIterations: 2,
    },
    batchSizes: [8, 32, 120],
    seeds: 1,
    landscape: {
      alphas: { from: -1, to: 2, count: 4 },
      sliceDirections: 2,
      slice: { radius: 1, points: 5 },
      surface: { radius: 1, points: 5 },
    },
  },
  quick: {
    base: {
      trainSize: 5000,
      testSize: 2000,
      pool: 2,
      hiddenSizes: [128, 128],
      optimizer: sgd,
      targetLoss: 0.01,
      epochCap: 600,
      hessianExamples: 2000,
      powerIterations: 20,
      powerTolerance: 1e-3,
      relativeStep: 1e-2,
      epsilon: 1e-3,
      epsilonIterations: 10,
    },
    batchSizes: [32, 128, 512, 2048],
    seeds: 1,
    landscape: {
      alphas: { from: -1, to: 2, count: 31 },
      sliceDirections: 4,
      slice: { radius: 1, points: 21 },
      surface: { radius: 1, points: 21 },
    },
  },
  full: {
    base: {
      trainSize: 5000,
      testSize: 2000,
      pool: 1,
      hiddenSizes: [256, 256],
      optimizer: sgd,
      targetLoss: 0.01,
      epochCap: 1000,
      hessianExamples: 2000,
      powerIterations: 50,
      powerTolerance: 1e-4,
      relativeStep: 1e-2,
      epsilon: 1e-3,
      epsilonIterations: 20,
    },
    batchSizes: [32, 128, 512, 2048],
    seeds: 3,
    landscape: {
      alphas: { from: -1, to: 2, count: 61 },
      sliceDirections: 8,
      slice: { radius: 1, points: 41 },
      surface: { radius: 1, points: 31 },
    },
  },
};

/**
 * The runs of a preset: per seed, one run that trains the smallest and largest batch size and draws
 * their landscapes (listed first: it is the longest), and, for `all`, one run per other batch size.
 */
export function flatMinimaRuns(preset: Preset, seed: number, scope: 'all' | 'landscape'): FigureRun[] {
  const setup = flatMinimaSetups[preset];
  const seeds = Array.from({ length: setup.seeds }, (_, index) => seed + index);
  const smallest = setup.batchSizes[0] ?? 1;
  const largest = setup.batchSizes[setup.batchSizes.length - 1] ?? 1;
  const run = (config: FlatMinimaRunConfig, runSeed: number): FigureRun => ({
    task: runsModuleUrl,
    exportName: 'flatMinimaRun',
    config,
    seed: runSeed,
  });
  const pairs = seeds.map((runSeed) =>
    run({ ...setup.base, batchSizes: [smallest, largest], landscape: setup.landscape }, runSeed),
  );
  if (scope === 'landscape') return pairs;
  const middle = setup.batchSizes.slice(1, -1);
  return [
    ...pairs,
    ...seeds.flatMap((runSeed) =>
      middle.map((batchSize) => run({ ...setup.base, batchSizes: [batchSize] }, runSeed)),
    ),
  ];
}

/** The minima of each seed, sorted by batch size (from the runs of {@link flatMinimaRuns}). */
export function collectMinima(results: FigureRunResult[]): Array<{ seed: number; minima: TrainedMinimum[] }> {
  const bySeed = new Map<number, TrainedMinimum[]>();
  for (const { run, result } of results) {
    const minima = bySeed.get(run.seed) ?? [];
    minima.push(...(result as FlatMinimaResult).minima);
    bySeed.set(run.seed, minima);
  }
  return [...bySeed.entries()]
    .sort(([left], [right]) => left - right)
    .map(([seed, minima]) => ({
      seed,
      minima: minima.sort((left, right) => left.batchSize - right.batchSize),
    }));
}

/** The landscapes of each seed, with the two minima they sit around (from the landscape runs). */
export function collectLandscapes(
  results: FigureRunResult[],
): Array<{ seed: number; landscape: FlatMinimaLandscape; minima: TrainedMinimum[] }> {
  return results.flatMap(({ run, result }) => {
    const { landscape, minima } = result as FlatMinimaResult;
    return landscape === undefined ? [] : [{ seed: run.seed, landscape, minima }];
  });
}
