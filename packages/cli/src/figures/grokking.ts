/**
 * `grokking` (涌现): a ReLU network trained full-batch on half of the table of a + b mod 97 fits its
 * training pairs within ~100 steps while test accuracy stays near chance, and only much later, under
 * decoupled weight decay, generalizes to the held-out half; without weight decay it never does within
 * the same budget (Power et al. 2022; Nanda et al. 2023; Gromov 2023 for the MLP version).
 */
import { createModularArithmetic, type ModularArithmeticDataset } from '@emerge/core';
import { createAdamW, train } from '@emerge/optim';
import { createMlp, type Mlp } from '@emerge/transformer';
import { linePlot, multiPanel } from '@emerge/viz';
import * as tf from '@tensorflow/tfjs';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun, type Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { sections } from '../sections.js';
import { notHoldingText } from './not-holding-text.js';

/** Training accuracy that counts as memorized, test accuracy that counts as generalized. */
const MEMORIZED = 0.99;
const GENERALIZED = 0.95;

/** Everything one run needs except its weight decay. */
interface GrokkingTask {
  /** The modulus p. */
  modulus: number;
  /** Share of the p^2 pairs used for training. */
  trainFraction: number;
  /** Width of the hidden ReLU layer. */
  hiddenSize: number;
  learningRate: number;
  /** Full-batch AdamW steps. */
  steps: number;
  /** Number of log-spaced evaluation points from step 1 to the last step. */
  evaluationCount: number;
}

/** The setup of one preset: the task, the decoupled weight decay of the main run, and the seeds. */
interface GrokkingSetup extends GrokkingTask {
  weightDecay: number;
  /** Seeds of the split and initialization, offsets from the figure's seed (one pair of runs each). */
  seedOffsets: number[];
}

const setups: Record<Preset, GrokkingSetup> = {
  smoke: {
    modulus: 11,
    trainFraction: 0.5,
    hiddenSize: 16,
    learningRate: 5e-3,
    steps: 20,
    evaluationCount: 6,
    weightDecay: 1,
    seedOffsets: [0],
  },
  quick: {
    modulus: 97,
    trainFraction: 0.5,
    hiddenSize: 256,
    learningRate: 5e-3,
    steps: 2000,
    evaluationCount: 60,
    weightDecay: 1,
    seedOffsets: [0],
  },
  full: {
    modulus: 97,
    trainFraction: 0.5,
    hiddenSize: 256,
    learningRate: 5e-3,
    steps: 3000,
    evaluationCount: 80,
    weightDecay: 1,
    seedOffsets: [0, 1, 2],
  },
};

/**
 * Up to `count` distinct integer steps spaced evenly in log from 1 to `last` (both included), so a
 * log-x curve gets even resolution.
 * @example
 * ```ts
 * logSpacedSteps(1000, 4); // [1, 10, 100, 1000]
 * ```
 */
export function logSpacedSteps(last: number, count: number): number[] {
  if (count < 2 || last <= 1) return [Math.max(1, last)];
  const steps = new Set<number>();
  for (let index = 0; index < count; index++) {
    steps.add(Math.round(last ** (index / (count - 1))));
  }
  return [...steps].sort((left, right) => left - right);
}

/**
 * The pairs of `indices` as network inputs: the positions of the ones of a and b one-hot side by side
 * (a and p + b, increasing), int32 [n, 2] for an MLP with `hotInputs: 2`, and the answers as int32
 * labels [n]. The network computes exactly what it would on the [n, 2p] one-hot rows, without the
 * zeros.
 * @example
 * ```ts
 * const { inputs, labels } = pairTensors(task, task.trainIndices); // inputs int32 [n, 2], labels [n]
 * ```
 */
export function pairTensors(
  task: ModularArithmeticDataset,
  indices: Int32Array,
): { inputs: tf.Tensor2D; labels: tf.Tensor1D } {
  const positions = new Int32Array(indices.length * 2);
  const labels = new Int32Array(indices.length);
  indices.forEach((pair, row) => {
    positions[2 * row] = task.left[pair] ?? 0;
    positions[2 * row + 1] = task.modulus + (task.right[pair] ?? 0);
    labels[row] = task.answers[pair] ?? 0;
  });
  return {
    inputs: tf.tensor2d(positions, [indices.length, 2], 'int32'),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

/** Configuration of {@link grokkingRun}. */
export interface GrokkingRunConfig extends GrokkingTask, Record<string, unknown> {
  /** Decoupled weight decay of AdamW (PyTorch's convention: each step shrinks w by lr * weightDecay * w). */
  weightDecay: number;
}

/** What one run records at each evaluation step. */
export interface GrokkingRunResult {
  weightDecay: number;
  /** Completed steps at each evaluation (log-spaced, from 1). */
  evaluationSteps: number[];
  trainAccuracy: number[];
  testAccuracy: number[];
  trainLoss: number[];
  testLoss: number[];
  /** Euclidean norm of all parameters together. */
  parameterNorm: number[];
}

/** Loss and accuracy of `model` on one split, as numbers. */
function measure(model: Mlp, inputs: tf.Tensor2D, labels: tf.Tensor1D): Record<string, number> {
  return tf.tidy(() => {
    const logits = model.forward(inputs);
    const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));
    const loss = model.loss(inputs, labels);
    const [accuracyValue, lossValue] = [accuracy.dataSync()[0] ?? 0, loss.dataSync()[0] ?? 0];
    return { accuracy: accuracyValue, loss: lossValue };
  });
}

/**
 * One training run: a one-hidden-layer ReLU MLP on the one-hot pair (a, b) with PyTorch's default
 * initialization, trained full-batch with AdamW on the training pairs; `seed` picks both the split and
 * the initialization, so the runs with and without weight decay of one seed differ only in the decay.
 */
export function grokkingRun(config: GrokkingRunConfig, seed: number): GrokkingRunResult {
  const { modulus, trainFraction, hiddenSize, learningRate, steps, evaluationCount, weightDecay } = config;
  const task = createModularArithmetic({ modulus, trainFraction, seed });
  const model = createMlp({
    inputSize: 2 * modulus,
    hiddenSizes: [hiddenSize],
    outputSize: modulus,
    init: 'torch-linear',
    hotInputs: 2,
    seed,
  });
  const optimizer = createAdamW({ variables: model.variables, learningRate, weightDecay });
  const trainSet = pairTensors(task, task.trainIndices);
  const testSet = pairTensors(task, task.testIndices);
  const evaluated = new Set(logSpacedSteps(steps, evaluationCount));
  try {
    const history = train({
      optimizer,
      loss: () => model.loss(trainSet.inputs, trainSet.labels),
      batch: () => undefined,
      steps,
      evaluate: {
        train: () => measure(model, trainSet.inputs, trainSet.labels),
        test: () => measure(model, testSet.inputs, testSet.labels),
        parameters: () => {
          const squares = [...model.variables.values()].map((variable) => tf.sum(tf.square(variable)));
          return { norm: Math.sqrt(tf.addN(squares).dataSync()[0] ?? 0) };
        },
      },
      evaluateEvery: (completed) => evaluated.has(completed),
      recordLossEvery: steps,
    });
    const metric = (split: string, name: string) => (history.metrics[split]?.[name] ?? []).map(round);
    return {
      weightDecay,
      evaluationSteps: history.evaluationSteps,
      trainAccuracy: metric('train', 'accuracy'),
      testAccuracy: metric('test', 'accuracy'),
      trainLoss: metric('train', 'loss'),
      testLoss: metric('test', 'loss'),
      parameterNorm: metric('parameters', 'norm'),
    };
  } finally {
    tf.dispose([trainSet.inputs, trainSet.labels, testSet.inputs, testSet.labels]);
    optimizer.dispose();
    model.dispose();
  }
}

function round(value: number): number {
  return Math.round(value * 100_000) / 100_000;
}

/** When a run memorized its training pairs and when it then generalized. */
export interface GrokkingTimes {
  /** First evaluation step with training accuracy above 99% (null if never). */
  memorizedStep: number | null;
  /** First evaluation step at or after `memorizedStep` with test accuracy above 95% (null if never). */
  generalizedStep: number | null;
}

/**
 * Finds t1 (train accuracy > 99%) and t2 (test accuracy > 95%, not before t1) in a run's history.
 * @example
 * ```ts
 * grokkingTimes({ evaluationSteps: [10, 100, 1000], trainAccuracy: [0.5, 1, 1], testAccuracy: [0, 0.02, 0.98] });
 * // { memorizedStep: 100, generalizedStep: 1000 }
 * ```
 */
export function grokkingTimes(
  run: Pick<GrokkingRunResult, 'evaluationSteps' | 'trainAccuracy' | 'testAccuracy'>,
): GrokkingTimes {
  const memorized = run.trainAccuracy.findIndex((accuracy) => accuracy > MEMORIZED);
  if (memorized < 0) return { memorizedStep: null, generalizedStep: null };
  const generalized = run.testAccuracy.findIndex(
    (accuracy, index) => index >= memorized && accuracy > GENERALIZED,
  );
  return {
    memorizedStep: run.evaluationSteps[memorized] ?? null,
    generalizedStep: generalized < 0 ? null : (run.evaluationSteps[generalized] ?? null),
  };
}

/** One seed's pair of runs. */
export interface GrokkingSeedRuns {
  seed: number;
  withDecay: GrokkingRunResult;
  withoutDecay: GrokkingRunResult;
}

/** The figure's plain data. */
export interface GrokkingData extends GrokkingTask {
  weightDecay: number;
  trainPairs: number;
  testPairs: number;
  seeds: GrokkingSeedRuns[];
}

/** t2 / t1 of a run, NaN when it never memorized or never generalized. */
function delayRatio(run: GrokkingRunResult): number {
  const { memorizedStep, generalizedStep } = grokkingTimes(run);
  return memorizedStep === null || generalizedStep === null ? Number.NaN : generalizedStep / memorizedStep;
}

/** The grokking claim checks of FIGURES.md, each the worst case over seeds. */
export function grokkingClaims(data: GrokkingData): Claim[] {
  const decayRuns = data.seeds.map((entry) => entry.withDecay);
  const controlRuns = data.seeds.map((entry) => entry.withoutDecay);
  const bestTrain = Math.min(...decayRuns.map((run) => Math.max(...run.trainAccuracy)));
  const ratios = decayRuns.map(delayRatio);
  const controlTest = Math.max(...controlRuns.map((run) => Math.max(...run.testAccuracy)));
  const seedText = data.seeds.length > 1 ? `, worst of ${data.seeds.length} seeds` : '';
  return [
    checkClaim({
      id: 'memorizes',
      statement: `With weight decay ${data.weightDecay}, training accuracy exceeds 99% at some step t1 (value: highest training accuracy${seedText})`,
      value: bestTrain,
      comparison: '>',
      threshold: MEMORIZED,
    }),
    checkClaim({
      id: 'generalizes-later',
      statement: `Test accuracy then exceeds 95% at a step t2 >= 5 * t1 (value: t2 / t1${seedText}; not a number if test accuracy never passes 95%)`,
      value: ratios.some(Number.isNaN) ? Number.NaN : Math.min(...ratios),
      comparison: '>=',
      threshold: 5,
    }),
    checkClaim({
      id: 'no-decay-no-grokking',
      statement: `Without weight decay test accuracy stays below 20% within the same ${data.steps} steps (value: highest test accuracy${seedText})`,
      value: controlTest,
      comparison: '<',
      threshold: 0.2,
    }),
  ];
}

function percent(value: number): string {
  return `${Number((100 * value).toFixed(1))}%`;
}

function describeSteps(step: number | null, lang: 'en' | 'zh'): string {
  if (step !== null) return String(step);
  return lang === 'en' ? 'never' : '未达到';
}

/** The `grokking` figure. */
export const grokking: FigureDefinition<GrokkingData> = {
  id: 'grokking',
  title: {
    en: 'Grokking: generalization long after memorization',
    zh: '顿悟：记住训练集很久之后才突然泛化',
  },
  section: sections.emergence,
  anchor:
    'Power et al. 2022 (Grokking): on modular arithmetic, test accuracy jumps from chance to near 100% long after training accuracy reaches 100%, with weight decay; Nanda et al. 2023; Gromov 2023 (MLP)',
  sweep(preset, seed): FigureRun[] {
    const { weightDecay, seedOffsets, ...taskSetup } = setups[preset];
    // Both runs of a seed take equally long, so the two workers stay balanced.
    return seedOffsets.flatMap((offset) =>
      [weightDecay, 0].map(
        (decay): FigureRun => ({
          task: runsModuleUrl,
          exportName: 'grokkingRun',
          seed: seed + offset,
          config: { ...taskSetup, weightDecay: decay } satisfies GrokkingRunConfig,
        }),
      ),
    );
  },
  assemble(results, preset): GrokkingData {
    const { seedOffsets: _seedOffsets, ...setup } = setups[preset];
    const seeds: GrokkingSeedRuns[] = [];
    for (let index = 0; index + 1 < results.length; index += 2) {
      const withDecay = results[index];
      const withoutDecay = results[index + 1];
      if (!withDecay || !withoutDecay) break;
      seeds.push({
        seed: withDecay.run.seed,
        withDecay: withDecay.result as GrokkingRunResult,
        withoutDecay: withoutDecay.result as GrokkingRunResult,
      });
    }
    const pairs = setup.modulus * setup.modulus;
    const trainPairs = Math.round(setup.trainFraction * pairs);
    return { ...setup, trainPairs, testPairs: pairs - trainPairs, seeds };
  },
  claims: (data) => grokkingClaims(data),
  caption(data, lang) {
    const first = data.seeds[0];
    const times = first ? grokkingTimes(first.withDecay) : { memorizedStep: null, generalizedStep: null };
    const claims = grokkingClaims(data);
    const controlTest = first ? Math.max(...first.withoutDecay.testAccuracy) : Number.NaN;
    const controlTrain = first ? Math.max(...first.withoutDecay.trainAccuracy) : Number.NaN;
    const ratio = claims.find((claim) => claim.id === 'generalizes-later')?.value ?? Number.NaN;
    const norms = first?.withDecay.parameterNorm ?? [];
    const peakNorm = Math.max(...norms);
    const peakStep = first?.withDecay.evaluationSteps[norms.indexOf(peakNorm)] ?? 0;
    const finalNorm = norms[norms.length - 1] ?? Number.NaN;
    const controlNorm = first?.withoutDecay.parameterNorm.at(-1) ?? Number.NaN;
    const seedsText =
      data.seeds.length > 1
        ? lang === 'en'
          ? ` Over ${data.seeds.length} seeds the smallest t2 / t1 is ${ratio.toFixed(1)}.`
          : ` ${data.seeds.length} 个种子中 t2 / t1 最小为 ${ratio.toFixed(1)}。`
        : '';
    const verdict = notHoldingText(claims, lang);
    return lang === 'en'
      ? `A ReLU network (one hidden layer of ${data.hiddenSize}, a and b one-hot) trained full-batch with AdamW (learning rate ${data.learningRate}) on ${data.trainPairs} of the ${data.modulus}² pairs of a + b mod ${data.modulus}, tested on the other ${data.testPairs}. (a) With weight decay ${data.weightDecay}: training accuracy passes 99% at step t1 = ${describeSteps(times.memorizedStep, 'en')} while test accuracy is still at or below chance (1/${data.modulus}); test accuracy passes 95% only at step t2 = ${describeSteps(times.generalizedStep, 'en')}. (b) Without weight decay the network memorizes too (training accuracy up to ${percent(controlTrain)}) but its test accuracy never exceeds ${percent(controlTest)} in ${data.steps} steps. (c) With weight decay the parameter norm peaks at ${peakNorm.toFixed(0)} (step ${peakStep}) and falls to ${finalNorm.toFixed(0)} while training accuracy stays at 100% and test accuracy rises; without it the norm keeps growing, to ${controlNorm.toFixed(0)}.${seedsText}${verdict}`
      : `单隐层 ReLU 网络（宽 ${data.hiddenSize}，a 与 b 独热编码）用 AdamW（学习率 ${data.learningRate}）全批量训练，训练集为 a + b mod ${data.modulus} 的 ${data.modulus}² 个数对中的 ${data.trainPairs} 个，其余 ${data.testPairs} 个用于测试。(a) 权重衰减 ${data.weightDecay}：训练准确率在第 t1 = ${describeSteps(times.memorizedStep, 'zh')} 步超过 99%，此时测试准确率仍不高于随机水平（1/${data.modulus}）；直到第 t2 = ${describeSteps(times.generalizedStep, 'zh')} 步测试准确率才超过 95%。(b) 不加权重衰减时网络同样记住训练集（训练准确率最高 ${percent(controlTrain)}），但 ${data.steps} 步内测试准确率从未超过 ${percent(controlTest)}。(c) 有权重衰减时，参数范数在第 ${peakStep} 步达到峰值 ${peakNorm.toFixed(0)}，随后降到 ${finalNorm.toFixed(0)}，其间训练准确率保持 100%、测试准确率上升；没有权重衰减时范数持续增长，最终达 ${controlNorm.toFixed(0)}。${seedsText}${verdict}`;
  },
  plot(data, lang) {
    const first = data.seeds[0];
    const stepsAxis = { title: { en: 'training step (log)', zh: '训练步数（对数）' }, scale: 'log' as const };
    const accuracyAxis = {
      title: { en: 'accuracy', zh: '准确率' },
      format: '.0%',
      domain: [0, 1] as [number, number],
    };
    const curves = (run: GrokkingRunResult | undefined) => [
      {
        name: { en: 'train', zh: '训练集' },
        points: (run?.evaluationSteps ?? []).map((step, index) => ({
          x: step,
          y: run?.trainAccuracy[index] ?? 0,
        })),
      },
      {
        name: { en: 'test', zh: '测试集' },
        points: (run?.evaluationSteps ?? []).map((step, index) => ({
          x: step,
          y: run?.testAccuracy[index] ?? 0,
        })),
      },
    ];
    const times = first ? grokkingTimes(first.withDecay) : { memorizedStep: null, generalizedStep: null };
    const withDecay = linePlot({
      lang,
      title: {
        en: `(a) weight decay ${data.weightDecay}`,
        zh: `(a) 权重衰减 ${data.weightDecay}`,
      },
      caption: '',
      x: stepsAxis,
      y: accuracyAxis,
      series: curves(first?.withDecay),
      annotations: [
        ...(times.memorizedStep === null
          ? []
          : [{ kind: 'rule' as const, x: times.memorizedStep, label: { en: 't1', zh: 't1' } }]),
        ...(times.generalizedStep === null
          ? []
          : [{ kind: 'rule' as const, x: times.generalizedStep, label: { en: 't2', zh: 't2' } }]),
      ],
    });
    const withoutDecay = linePlot({
      lang,
      title: { en: '(b) no weight decay', zh: '(b) 无权重衰减' },
      caption: '',
      x: stepsAxis,
      y: accuracyAxis,
      series: curves(first?.withoutDecay),
    });
    const norms = linePlot({
      lang,
      title: { en: '(c) parameter norm', zh: '(c) 参数范数' },
      caption: '',
      x: stepsAxis,
      y: { title: { en: 'Euclidean norm of all weights', zh: '全部参数的欧氏范数' } },
      series: [first?.withDecay, first?.withoutDecay].map((run, index) => ({
        name:
          index === 0
            ? { en: `weight decay ${data.weightDecay}`, zh: `权重衰减 ${data.weightDecay}` }
            : { en: 'no weight decay', zh: '无权重衰减' },
        points: (run?.evaluationSteps ?? []).map((step, point) => ({
          x: step,
          y: run?.parameterNorm[point] ?? 0,
        })),
      })),
    });
    return multiPanel({
      lang,
      title: grokking.title,
      caption: grokking.caption(data, lang),
      panels: [withDecay, withoutDecay, norms],
    });
  },
};
