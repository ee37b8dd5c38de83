/**
 * `double-descent-nn` (§4): test error of a trained two-layer ReLU network on MNIST against its number
 * of parameters. With squared loss on one-hot targets the interpolation threshold is n x classes
 * parameters (one equation per training label and class). Every network trains to the same small
 * training loss (it then fits more than 99% of the noisy labels) or to a step cap: networks near the
 * threshold need the most steps and generalize worst; wider ones get there sooner and generalize better
 * again (Nakkiran et al. 2019, Fig. 1; Belkin, Hsu, Ma, Mandal 2019, Fig. 3).
 */
import {
  applyLabelNoise,
  averagePool,
  createRandom,
  loadMnist,
  MNIST_IMAGE_SIDE,
  oneHot,
  splitMnist,
} from '@emerge/core';
import { createAdam, train } from '@emerge/optim';
import { countMlp, createMlp } from '@emerge/transformer';
import { linePlot, multiPanel } from '@emerge/viz';
import * as tf from '@tensorflow/tfjs';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun, type Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { sections } from '../sections.js';

const CLASSES = 10;

/** The setup of one preset. */
interface DoubleDescentNnSetup {
  /** Training digits n (balanced). */
  trainSize: number;
  /** Clean test digits. */
  testSize: number;
  /** Share of training labels moved to another class. */
  noiseRate: number;
  /** Side of the square blocks the 28 x 28 images are averaged over (4 gives 49 inputs). */
  poolFactor: number;
  /** Hidden widths, ascending. */
  widths: number[];
  /** Initializations per width (one run each); the curve is their mean. */
  members: number;
  /** Adam's learning rate (constant). */
  learningRate: number;
  /** Training stops once the training loss (mean squared error per output) is at most this. */
  targetTrainLoss: number;
  /** Step cap for networks that never reach the target loss. */
  maxSteps: number;
  /** The training loss is checked every this many steps. */
  checkEvery: number;
}

const setups: Record<Preset, DoubleDescentNnSetup> = {
  smoke: {
    trainSize: 60,
    testSize: 100,
    noiseRate: 0.15,
    poolFactor: 4,
    widths: [2, 10, 40],
    members: 1,
    learningRate: 5e-3,
    targetTrainLoss: 0.003,
    maxSteps: 60,
    checkEvery: 20,
  },
  quick: {
    trainSize: 1000,
    testSize: 2000,
    noiseRate: 0.15,
    poolFactor: 4,
    widths: [4, 8, 16, 32, 64, 96, 128, 166, 200, 256, 384, 512, 1024],
    members: 2,
    learningRate: 2e-3,
    targetTrainLoss: 0.003,
    maxSteps: 6000,
    checkEvery: 50,
  },
  full: {
    trainSize: 1000,
    testSize: 2000,
    noiseRate: 0.15,
    poolFactor: 4,
    widths: [4, 8, 16, 32, 48, 64, 96, 128, 150, 166, 183, 200, 256, 384, 512, 768, 1024, 2048],
    members: 3,
    learningRate: 2e-3,
    targetTrainLoss: 0.003,
    maxSteps: 20000,
    checkEvery: 50,
  },
};

/** Configuration of {@link mlpDoubleDescentRun}. */
export interface MlpDoubleDescentRunConfig extends Record<string, unknown> {
  trainSize: number;
  testSize: number;
  noiseRate: number;
  poolFactor: number;
  width: number;
  /** Which initialization of this width (its init seed is forked from the run seed by this index). */
  member: number;
  learningRate: number;
  targetTrainLoss: number;
  maxSteps: number;
  checkEvery: number;
}

/** What one trained network measured. */
export interface MlpDoubleDescentPoint {
  width: number;
  parameters: number;
  member: number;
  /** Steps taken: fewer than the cap when the target training loss was reached. */
  steps: number;
  /** Share of training digits misclassified against their (noisy) training labels. */
  trainError: number;
  /** Share of clean test digits misclassified. */
  testError: number;
  /** Final training loss (mean squared error per output). */
  trainLoss: number;
}

/** Share of rows whose highest output is not the label. */
function classificationError(outputs: tf.Tensor2D, labels: tf.Tensor1D): number {
  return tf.tidy(
    () => tf.mean(tf.notEqual(tf.argMax(outputs, 1), labels).toFloat()).dataSync()[0] ?? Number.NaN,
  );
}

/**
 * Trains one network of one width: full-batch Adam on squared loss against one-hot (noisy) labels of
 * average-pooled MNIST digits, until its training loss reaches the target or the step cap, so that
 * every width is compared at the same fit of the training set. The run seed fixes the digits and the
 * noise, so every width sees the same data.
 */
export async function mlpDoubleDescentRun(
  config: MlpDoubleDescentRunConfig,
  seed: number,
): Promise<MlpDoubleDescentPoint> {
  const { trainSize, testSize, noiseRate, poolFactor, width, member, learningRate, targetTrainLoss } = config;
  const { maxSteps, checkEvery } = config;
  const { train: trainSet, test: testSet } = splitMnist(await loadMnist(), {
    trainSize,
    testSize,
    seed,
    balanced: true,
  });
  const noisy = applyLabelNoise(trainSet.labels, {
    rate: noiseRate,
    classes: CLASSES,
    seed: createRandom(seed).fork('noise').seed,
  });
  const inputSize = (MNIST_IMAGE_SIDE / poolFactor) ** 2;
  const pool = (images: Float32Array, count: number) =>
    tf.tensor2d(averagePool(images, count, MNIST_IMAGE_SIDE, poolFactor), [count, inputSize]);
  const trainInput = pool(trainSet.images, trainSize); // [n, inputs]
  const testInput = pool(testSet.images, testSize);
  const trainTargets = tf.tensor2d(oneHot(noisy.labels, CLASSES), [trainSize, CLASSES]);
  const trainLabels = tf.tensor1d(noisy.labels, 'int32');
  const testLabels = tf.tensor1d(testSet.labels, 'int32');
  const model = createMlp({
    inputSize,
    hiddenSizes: [width],
    outputSize: CLASSES,
    loss: 'squared',
    init: 'torch-linear',
    seed: createRandom(seed).fork(`init-${member}`).seed,
  });
  const optimizer = createAdam({ variables: model.variables, learningRate });
  try {
    const history = train({
      optimizer,
      loss: () => model.loss(trainInput, trainTargets),
      batch: () => undefined,
      steps: maxSteps,
      evaluate: {
        train: () => ({
          error: classificationError(model.forward(trainInput), trainLabels),
          loss: model.loss(trainInput, trainTargets).dataSync()[0] ?? Number.NaN,
        }),
      },
      evaluateEvery: checkEvery,
      target: { split: 'train', metric: 'loss', atMost: targetTrainLoss },
      recordLossEvery: maxSteps,
    });
    const trainError = history.metrics.train?.error?.at(-1) ?? Number.NaN;
    const trainLoss = history.metrics.train?.loss?.at(-1) ?? Number.NaN;
    const testError = tf.tidy(() => classificationError(model.forward(testInput), testLabels));
    return {
      width,
      parameters: model.parameterCount(),
      member,
      steps: history.stepsTaken,
      trainError,
      testError,
      trainLoss,
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    tf.dispose([trainInput, testInput, trainTargets, trainLabels, testLabels]);
  }
}

/** One width, averaged over its initializations. */
export interface WidthSummary {
  width: number;
  parameters: number;
  trainError: number;
  testError: number;
  /** Lowest and highest test error over the initializations. */
  testErrorLow: number;
  testErrorHigh: number;
  /** Mean steps taken. */
  steps: number;
  /** How many of its networks reached the target training loss before the cap. */
  reachedTarget: number;
  members: number;
}

/** The figure's plain data. */
export interface DoubleDescentNnData {
  trainSize: number;
  testSize: number;
  noiseRate: number;
  inputSize: number;
  learningRate: number;
  targetTrainLoss: number;
  maxSteps: number;
  /** n x classes: the parameter count at which the network can just fit every training target. */
  threshold: number;
  runs: MlpDoubleDescentPoint[];
  widths: WidthSummary[];
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Averages the runs of each width (mean errors and steps, range of test errors), in ascending order of width. */
export function summarizeWidths(runs: MlpDoubleDescentPoint[], targetTrainLoss: number): WidthSummary[] {
  const widths = [...new Set(runs.map((run) => run.width))].sort((left, right) => left - right);
  return widths.map((width) => {
    const own = runs.filter((run) => run.width === width);
    return {
      width,
      parameters: own[0]?.parameters ?? 0,
      trainError: mean(own.map((run) => run.trainError)),
      testError: mean(own.map((run) => run.testError)),
      testErrorLow: Math.min(...own.map((run) => run.testError)),
      testErrorHigh: Math.max(...own.map((run) => run.testError)),
      steps: mean(own.map((run) => run.steps)),
      reachedTarget: own.filter((run) => run.trainLoss <= targetTrainLoss).length,
      members: own.length,
    };
  });
}

/**
 * Index of the highest interior local maximum of a curve (a point at least as high as both
 * neighbours), or -1 when the curve has none.
 */
export function highestLocalMaximum(values: number[]): number {
  let best = -1;
  for (let index = 1; index < values.length - 1; index++) {
    const value = values[index] ?? Number.NaN;
    if (value < (values[index - 1] ?? Number.NaN) || value < (values[index + 1] ?? Number.NaN)) continue;
    if (best < 0 || value > (values[best] ?? Number.NaN)) best = index;
  }
  return best;
}

/** The claim checks of FIGURES.md on the width-averaged curve. */
export function doubleDescentNnClaims(data: DoubleDescentNnData): Claim[] {
  const errors = data.widths.map((width) => width.testError);
  const peak = highestLocalMaximum(errors);
  const peakParameters = data.widths[peak]?.parameters ?? Number.NaN;
  const peakError = errors[peak] ?? Number.NaN;
  const left = errors.slice(0, Math.max(peak, 0));
  const right = peak < 0 ? [] : errors.slice(peak + 1);
  const ratio =
    left.length === 0 || right.length === 0
      ? Number.NaN
      : peakError / Math.max(Math.min(...left), Math.min(...right));
  const beyond = peak < 0 ? [] : data.widths.slice(peak).map((width) => width.trainError);
  return [
    checkClaim({
      id: 'peak-at-threshold',
      statement: `The test error's highest local maximum lies within 0.5x-2x of n x classes = ${data.threshold} parameters (value: |log2(P_peak / threshold)|)`,
      value: Math.abs(Math.log2(peakParameters / data.threshold)),
      comparison: '<=',
      threshold: 1,
    }),
    checkClaim({
      id: 'peak-height',
      statement: 'The peak is at least 1.2x the minimum test error on each side (value: the smaller ratio)',
      value: ratio,
      comparison: '>=',
      threshold: 1.2,
    }),
    checkClaim({
      id: 'interpolation',
      statement:
        'Training error is at most 1% at and beyond the peak (value: largest mean training error there)',
      value: beyond.length === 0 ? Number.NaN : Math.max(...beyond),
      comparison: '<=',
      threshold: 0.01,
    }),
  ];
}

function percent(value: number): string {
  return `${Number((100 * value).toFixed(1))}%`;
}

/** A count with thousands separators, e.g. 10,000. */
function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** Mean minimum test error left and right of the peak, for the caption. */
function sides(data: DoubleDescentNnData) {
  const errors = data.widths.map((width) => width.testError);
  const peak = highestLocalMaximum(errors);
  const lowest = (slice: WidthSummary[]) =>
    slice.reduce<WidthSummary | undefined>(
      (best, width) => (best === undefined || width.testError < best.testError ? width : best),
      undefined,
    );
  return {
    peak: data.widths[peak],
    left: lowest(data.widths.slice(0, Math.max(peak, 0))),
    right: peak < 0 ? undefined : lowest(data.widths.slice(peak + 1)),
  };
}

/** The `double-descent-nn` figure. */
export const doubleDescentNn: FigureDefinition<DoubleDescentNnData> = {
  id: 'double-descent-nn',
  title: {
    en: 'Double descent in a trained network: test error vs parameters',
    zh: '训练网络中的双下降：测试误差随参数量的变化',
  },
  section: sections.overParameterization,
  anchor:
    'Nakkiran et al. 2019 (Deep Double Descent), Fig. 1 with 15% label noise; Belkin, Hsu, Ma, Mandal 2019, Fig. 3 (two-layer networks on MNIST, peak at n x classes parameters)',
  sweep(preset, seed): FigureRun[] {
    const setup = setups[preset];
    const { widths, members, ...shared } = setup;
    // Widths nearest the threshold first: they run to the step cap at the largest sizes, so the longest
    // runs start early and the two workers finish together (assemble sorts the widths again).
    const inputSize = (MNIST_IMAGE_SIDE / setup.poolFactor) ** 2;
    const distance = (width: number) =>
      Math.abs(
        Math.log(
          countMlp({ inputSize, hiddenSizes: [width], outputSize: CLASSES }).parameters /
            (setup.trainSize * CLASSES),
        ),
      );
    const order = [...widths].sort((left, right) => distance(left) - distance(right));
    return order.flatMap((width) =>
      Array.from(
        { length: members },
        (_, member): FigureRun => ({
          task: runsModuleUrl,
          exportName: 'mlpDoubleDescentRun',
          seed,
          config: { ...shared, width, member } satisfies MlpDoubleDescentRunConfig,
        }),
      ),
    );
  },
  assemble(results, preset): DoubleDescentNnData {
    const setup = setups[preset];
    const runs = results.map((entry) => entry.result as MlpDoubleDescentPoint);
    const inputSize = (MNIST_IMAGE_SIDE / setup.poolFactor) ** 2;
    return {
      trainSize: setup.trainSize,
      testSize: setup.testSize,
      noiseRate: setup.noiseRate,
      inputSize,
      learningRate: setup.learningRate,
      targetTrainLoss: setup.targetTrainLoss,
      maxSteps: setup.maxSteps,
      threshold: setup.trainSize * CLASSES,
      runs,
      widths: summarizeWidths(runs, setup.targetTrainLoss),
    };
  },
  claims: (data) => doubleDescentNnClaims(data),
  caption(data, lang) {
    const { peak, left, right } = sides(data);
    const at = (width: WidthSummary | undefined) =>
      width === undefined
        ? '-'
        : `${percent(width.testError)} (${count(width.parameters)} ${lang === 'en' ? 'parameters' : '参数'})`;
    const caveat =
      lang === 'en'
        ? 'In a reference run of this setup, on raw 784-pixel inputs or with cross-entropy the peak does not appear at n x classes (with cross-entropy it moves to about n parameters).'
        : '参考实验中，用原始 784 像素输入或交叉熵损失时，峰值不出现在 n × 类别数处（交叉熵时移到约 n 个参数）。';
    return lang === 'en'
      ? `Two-layer ReLU networks (${data.inputSize} average-pooled pixels -> width -> 10) trained with full-batch Adam (lr ${data.learningRate}) and squared loss on n = ${count(data.trainSize)} MNIST digits with ${percent(data.noiseRate)} of the labels wrong, each until its training loss (mean squared error per output) falls to ${data.targetTrainLoss} or for at most ${count(data.maxSteps)} steps; test error on ${count(data.testSize)} clean digits, mean of ${data.widths[0]?.members ?? 0} initializations per width (band: lowest to highest). Test error falls to ${at(left)}, rises to ${at(peak)} near n x classes = ${count(data.threshold)} parameters, where the networks cannot reach the target loss within the cap (panel b), and falls again to ${at(right)} for wider networks, which reach it in fewer steps. The comparison is at equal training loss: trained on past it, wider networks fit the noise further and their test error climbs too. ${caveat}`
      : `两层 ReLU 网络（${data.inputSize} 个平均池化像素 -> 宽度 -> 10），用全批量 Adam（学习率 ${data.learningRate}）和平方损失在 n = ${count(data.trainSize)} 个 MNIST 数字上训练，其中 ${percent(data.noiseRate)} 的标签是错的；每个网络训练到训练损失（每个输出的均方误差）降到 ${data.targetTrainLoss}，或至多 ${count(data.maxSteps)} 步；测试集为 ${count(data.testSize)} 个干净数字；每个宽度取 ${data.widths[0]?.members ?? 0} 个初始化的平均（阴影：最低到最高）。测试误差先降到 ${at(left)}，在 n × 类别数 = ${count(data.threshold)} 个参数附近升到 ${at(peak)}（此处网络在步数上限内达不到目标损失，见图 b），更宽的网络以更少步数达到目标，测试误差又降到 ${at(right)}。比较是在相同训练损失下进行的：若继续训练，更宽的网络会进一步拟合噪声，测试误差也会上升。${caveat}`;
  },
  plot(data, lang) {
    const threshold = {
      kind: 'rule' as const,
      x: data.threshold,
      label: { en: 'n x classes', zh: 'n × 类别数' },
    };
    const parametersAxis = { title: { en: 'parameters', zh: '参数量' }, scale: 'log' as const };
    const errorPanel = linePlot({
      lang,
      title: { en: '(a) test and training error', zh: '(a) 测试误差与训练误差' },
      caption: '',
      x: parametersAxis,
      y: { title: { en: 'error (share misclassified)', zh: '误差（错分比例）' }, format: '.0%' },
      series: [
        {
          name: { en: 'test (clean labels)', zh: '测试（干净标签）' },
          points: data.widths.map((width) => ({
            x: width.parameters,
            y: width.testError,
            low: width.testErrorLow,
            high: width.testErrorHigh,
          })),
        },
        {
          name: {
            en: `training (${percent(data.noiseRate)} noisy labels)`,
            zh: `训练（${percent(data.noiseRate)} 噪声标签）`,
          },
          points: data.widths.map((width) => ({ x: width.parameters, y: width.trainError })),
        },
      ],
      points: true,
      annotations: [threshold],
    });
    const stepsPanel = linePlot({
      lang,
      title: { en: '(b) steps to reach the target training loss', zh: '(b) 达到目标训练损失所需步数' },
      caption: '',
      x: parametersAxis,
      y: {
        title: {
          en: `Adam steps (cap ${count(data.maxSteps)})`,
          zh: `Adam 步数（上限 ${count(data.maxSteps)}）`,
        },
      },
      series: [
        {
          name: { en: 'mean steps', zh: '平均步数' },
          points: data.widths.map((width) => ({ x: width.parameters, y: width.steps })),
        },
      ],
      points: true,
      annotations: [threshold],
    });
    return multiPanel({
      lang,
      title: doubleDescentNn.title,
      caption: doubleDescentNn.caption(data, lang),
      panels: [errorPanel, stepsPanel],
    });
  },
};
