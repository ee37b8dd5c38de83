/**
 * `data-diversity` (§1): the same MLP trained on the same number of MNIST digits, drawn from k of K
 * viewing conditions (rotations and a shift), for k = 1..K. The more conditions the training data
 * covers, the better the network does on conditions it never saw and on all conditions together, while
 * its accuracy on the conditions it was trained on drops a little: a fixed number of digits is spread
 * over more views. Every subset of the conditions is trained, so each k is an exact average over which
 * conditions were chosen.
 */
import {
  averagePool,
  createRandom,
  loadMnist,
  MNIST_IMAGE_SIDE,
  shuffledBatches,
  spearman,
  splitMnist,
  type ViewingCondition,
  viewImages,
} from '@emerge/core';
import { cosineSchedule, createAdam, train } from '@emerge/optim';
import { createMlpEnsemble } from '@emerge/transformer';
import { type FigureSpec, heatmap, linePlot, multiPanel } from '@emerge/viz';
import * as tf from '@tensorflow/tfjs';
import {
  type Bilingual,
  type Claim,
  checkClaim,
  type FigureDefinition,
  type FigureRun,
  type Preset,
} from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { sections } from '../sections.js';
import { notHoldingText } from './not-holding-text.js';

const CLASSES = 10;

/** A viewing condition with the short name the figure labels it with. */
interface NamedCondition {
  name: Bilingual;
  condition: ViewingCondition;
}

const upright: NamedCondition = { name: { en: 'upright', zh: '正立' }, condition: {} };
const rotated = (degrees: number): NamedCondition => ({
  name: {
    en: `${degrees > 0 ? '+' : '−'}${Math.abs(degrees)}°`,
    zh: `${degrees > 0 ? '+' : '−'}${Math.abs(degrees)}°`,
  },
  condition: { rotationDegrees: degrees },
});
const shifted: NamedCondition = { name: { en: 'shifted', zh: '平移' }, condition: { shiftX: 4, shiftY: 3 } };

/** The six views of FIGURES.md: rotations of 0, +-20 and +-45 degrees, and a shift (4 px right, 3 px down). */
const sixConditions = [upright, rotated(20), rotated(-20), rotated(45), rotated(-45), shifted];

/** The setup of one preset. */
interface DataDiversitySetup {
  /** The K viewing conditions. */
  conditions: NamedCondition[];
  /** Training digits of every network, whatever its k (balanced over classes). */
  trainSize: number;
  /** Test digits, each seen under every condition. */
  testSize: number;
  /** Side of the square blocks the 28 x 28 images are averaged over (2 gives 14 x 14 = 196 inputs). */
  poolFactor: number;
  /** Hidden widths of the ReLU MLP. */
  hiddenSizes: number[];
  /** Passes over the training digits. */
  epochs: number;
  /** Minibatch size. */
  batchSize: number;
  /** Adam's initial learning rate; it falls to 0 along a cosine over the whole run. */
  learningRate: number;
  /** Every k gets at least this many networks: a k with fewer subsets trains each from several initializations. */
  minimumMembers: number;
  /** The networks are dealt round-robin into this many runs (each trained as one batched ensemble). */
  runCount: number;
}

const setups: Record<Preset, DataDiversitySetup> = {
  smoke: {
    conditions: [upright, rotated(45), shifted],
    trainSize: 120,
    testSize: 60,
    poolFactor: 4,
    hiddenSizes: [16],
    epochs: 2,
    batchSize: 40,
    learningRate: 2e-3,
    minimumMembers: 1,
    runCount: 2,
  },
  quick: {
    conditions: sixConditions,
    trainSize: 2000,
    testSize: 1000,
    poolFactor: 2,
    hiddenSizes: [256],
    epochs: 30,
    batchSize: 64,
    learningRate: 4e-3,
    minimumMembers: 6,
    runCount: 4,
  },
  full: {
    conditions: sixConditions,
    trainSize: 2000,
    testSize: 2000,
    poolFactor: 1,
    hiddenSizes: [256],
    epochs: 40,
    batchSize: 64,
    learningRate: 4e-3,
    minimumMembers: 12,
    runCount: 12,
  },
};

/** One network of the sweep: which conditions its training digits are drawn from, and which initialization. */
export interface DiversityMember {
  /** Indices of its training conditions, ascending. */
  conditions: number[];
  /** Which initialization of this subset (its init seed is forked from the run seed by subset and index). */
  initialization: number;
}

/** n choose k. */
function binomial(n: number, k: number): number {
  let result = 1;
  for (let index = 1; index <= k; index++) result = (result * (n - k + index)) / index;
  return Math.round(result);
}

/** The subsets of size k of 0..n-1, ascending, in lexicographic order. */
function subsetsOfSize(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const subsets: number[][] = [];
  for (let first = 0; first <= n - k; first++) {
    for (const rest of subsetsOfSize(n - first - 1, k - 1)) {
      subsets.push([first, ...rest.map((index) => index + first + 1)]);
    }
  }
  return subsets;
}

/**
 * Every non-empty subset of K conditions, by size then in lexicographic order, each repeated with
 * enough initializations that every size k has at least `minimumMembers` networks
 * (ceil(minimumMembers / C(K, k)) initializations per subset).
 */
export function diversityMembers(conditionCount: number, minimumMembers: number): DiversityMember[] {
  const members: DiversityMember[] = [];
  for (let size = 1; size <= conditionCount; size++) {
    const initializations = Math.ceil(minimumMembers / binomial(conditionCount, size));
    for (const conditions of subsetsOfSize(conditionCount, size)) {
      for (let initialization = 0; initialization < initializations; initialization++) {
        members.push({ conditions, initialization });
      }
    }
  }
  return members;
}

/** Configuration of {@link dataDiversityRun}; every field is part of the cache key. */
export interface DataDiversityRunConfig extends Record<string, unknown> {
  conditions: ViewingCondition[];
  trainSize: number;
  testSize: number;
  poolFactor: number;
  hiddenSizes: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The networks this run trains, as one batched ensemble. */
  members: DiversityMember[];
}

/** What one trained network measured. */
export interface DiversityMemberResult extends DiversityMember {
  /** Test accuracy under each of the K conditions (same test digits for every condition). */
  accuracy: number[];
  /** Accuracy on its own training images. */
  trainAccuracy: number;
}

/** The digits of a run's seed, rendered under each condition and average-pooled. */
function renderViews(
  images: Float32Array,
  count: number,
  conditions: ViewingCondition[],
  poolFactor: number,
): Float32Array[] {
  return conditions.map((condition) =>
    averagePool(viewImages(images, count, condition), count, MNIST_IMAGE_SIDE, poolFactor),
  );
}

/**
 * Trains a batch of networks, each on the same `trainSize` digits of the seed, with digit i shown under
 * condition `conditions[i mod k]` of its subset (the digits come shuffled, so each condition gets an equal,
 * class-mixed share). Minibatch Adam with a cosine learning rate; every network sees the same batch order
 * and is trained exactly as if alone (the ensemble's loss is the sum of the members' losses). Then each
 * network is tested on the same test digits under every condition.
 */
export async function dataDiversityRun(
  config: DataDiversityRunConfig,
  seed: number,
): Promise<{ members: DiversityMemberResult[] }> {
  const { conditions, trainSize, testSize, poolFactor, hiddenSizes, epochs, batchSize, learningRate } =
    config;
  const members = config.members;
  const { train: trainSet, test: testSet } = splitMnist(await loadMnist(), {
    trainSize,
    testSize,
    seed,
    balanced: true,
  });
  const inputSize = (MNIST_IMAGE_SIDE / poolFactor) ** 2;
  const trainViews = renderViews(trainSet.images, trainSize, conditions, poolFactor);
  const testViews = renderViews(testSet.images, testSize, conditions, poolFactor);
  const memberImages = new Float32Array(members.length * trainSize * inputSize);
  members.forEach((member, index) => {
    for (let digit = 0; digit < trainSize; digit++) {
      const view = trainViews[member.conditions[digit % member.conditions.length] as number] as Float32Array;
      memberImages.set(
        view.subarray(digit * inputSize, (digit + 1) * inputSize),
        (index * trainSize + digit) * inputSize,
      );
    }
  });
  const trainInput = tf.tensor3d(memberImages, [members.length, trainSize, inputSize]); // [members, n, inputs]
  const trainLabels = tf.tensor1d(Int32Array.from(trainSet.labels), 'int32'); // [n], shared
  const testLabels = tf.tensor1d(Int32Array.from(testSet.labels), 'int32');
  const random = createRandom(seed);
  const ensemble = createMlpEnsemble({
    inputSize,
    hiddenSizes,
    outputSize: CLASSES,
    init: 'torch-linear',
    seeds: members.map(
      (member) => random.fork(`init-${member.conditions.join('-')}-${member.initialization}`).seed,
    ),
  });
  const stepsPerEpoch = Math.ceil(trainSize / batchSize);
  const optimizer = createAdam({
    variables: ensemble.variables,
    learningRate: cosineSchedule({ initial: learningRate, totalSteps: epochs * stepsPerEpoch }),
  });
  const orderSeed = random.fork('batches').seed;
  let epochBatches: Int32Array[] = [];
  /** Each member's accuracy on `labels` for `input` ([n, inputs] shared or [members, n, inputs]). */
  const accuracies = (input: tf.Tensor, labels: tf.Tensor1D): number[] =>
    tf.tidy(() =>
      Array.from(
        tf.mean(tf.equal(tf.argMax(ensemble.forward(input), 2), labels).toFloat(), 1).dataSync(), // [members]
      ),
    );
  try {
    train({
      optimizer,
      loss: (batch: { x: tf.Tensor3D; y: tf.Tensor1D }) => ensemble.loss(batch.x, batch.y),
      batch: (_step, { epoch, stepInEpoch }) => {
        if (stepInEpoch === 0)
          epochBatches = shuffledBatches({ count: trainSize, batchSize, seed: orderSeed, epoch });
        return tf.tidy(() => {
          const indices = tf.tensor1d(epochBatches[stepInEpoch] as Int32Array, 'int32');
          return { x: tf.gather(trainInput, indices, 1) as tf.Tensor3D, y: tf.gather(trainLabels, indices) };
        });
      },
      disposeBatch: true,
      epochs,
      stepsPerEpoch,
      recordLossEvery: stepsPerEpoch,
    });
    const trainAccuracy = accuracies(trainInput, trainLabels);
    const testAccuracy = testViews.map((view) =>
      tf.tidy(() => accuracies(tf.tensor2d(view, [testSize, inputSize]), testLabels)),
    );
    return {
      members: members.map((member, index) => ({
        ...member,
        accuracy: testAccuracy.map((perMember) => perMember[index] ?? Number.NaN),
        trainAccuracy: trainAccuracy[index] ?? Number.NaN,
      })),
    };
  } finally {
    optimizer.dispose();
    ensemble.dispose();
    tf.dispose([trainInput, trainLabels, testLabels]);
  }
}

/** Configuration of {@link dataDiversityViewsRun}. */
export interface DataDiversityViewsRunConfig extends Record<string, unknown> {
  conditions: ViewingCondition[];
  trainSize: number;
  testSize: number;
  poolFactor: number;
  /** Digit classes shown, one test digit each (the first of its class in the seed's test set). */
  labels: number[];
}

/** Example test digits under every condition, as the networks see them: `images[condition][digit]`, row-major. */
export interface DiversityViews {
  side: number;
  images: number[][][];
}

/** Renders a few test digits of the seed under every condition, for the figure's first panel. */
export async function dataDiversityViewsRun(
  config: DataDiversityViewsRunConfig,
  seed: number,
): Promise<DiversityViews> {
  const { test } = splitMnist(await loadMnist(), {
    trainSize: config.trainSize,
    testSize: config.testSize,
    seed,
    balanced: true,
  });
  const side = MNIST_IMAGE_SIDE / config.poolFactor;
  const pixels = MNIST_IMAGE_SIDE * MNIST_IMAGE_SIDE;
  const chosen = config.labels.map((label) => {
    const index = test.labels.indexOf(label);
    if (index < 0) throw new Error(`data-diversity: no test digit of class ${label}`);
    return test.images.subarray(index * pixels, (index + 1) * pixels);
  });
  const digits = new Float32Array(chosen.length * pixels);
  chosen.forEach((image, index) => {
    digits.set(image, index * pixels);
  });
  const views = renderViews(digits, chosen.length, config.conditions, config.poolFactor);
  return {
    side,
    images: views.map((view) =>
      chosen.map((_, digit) =>
        Array.from(view.subarray(digit * side * side, (digit + 1) * side * side), (value) =>
          Number(value.toFixed(3)),
        ),
      ),
    ),
  };
}

/** Accuracies of the networks trained on k conditions, averaged over them (hence over every subset of size k). */
export interface DiversityLevel {
  /** Number of training conditions. */
  k: number;
  /** Mean accuracy on the conditions a network was not trained on (NaN at k = K). */
  unseen: number;
  /** Mean accuracy over all K conditions. */
  all: number;
  /** Mean accuracy on the network's own training conditions. */
  inDistribution: number;
  /** Lowest and highest all-condition accuracy over the networks of this k. */
  allLow: number;
  allHigh: number;
  /** Mean accuracy on the network's training images. */
  trainAccuracy: number;
  members: number;
}

function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Averages the networks of each k (each network first averaged over its unseen, all and own conditions). */
export function summarizeDiversity(members: DiversityMemberResult[]): DiversityLevel[] {
  const sizes = [...new Set(members.map((member) => member.conditions.length))].sort((a, b) => a - b);
  return sizes.map((k) => {
    const own = members.filter((member) => member.conditions.length === k);
    const perMember = own.map((member) => {
      const seen = member.accuracy.filter((_, condition) => member.conditions.includes(condition));
      const unseen = member.accuracy.filter((_, condition) => !member.conditions.includes(condition));
      return { all: mean(member.accuracy), seen: mean(seen), unseen: mean(unseen) };
    });
    const all = perMember.map((member) => member.all);
    return {
      k,
      unseen: mean(perMember.map((member) => member.unseen)),
      all: mean(all),
      inDistribution: mean(perMember.map((member) => member.seen)),
      allLow: Math.min(...all),
      allHigh: Math.max(...all),
      trainAccuracy: mean(own.map((member) => member.trainAccuracy)),
      members: own.length,
    };
  });
}

/**
 * Test accuracy of the networks trained on a single condition: `[trained condition][tested condition]`,
 * averaged over their initializations.
 */
export function transferMatrix(members: DiversityMemberResult[], conditionCount: number): number[][] {
  return Array.from({ length: conditionCount }, (_, trained) => {
    const own = members.filter(
      (member) => member.conditions.length === 1 && member.conditions[0] === trained,
    );
    return Array.from({ length: conditionCount }, (_, tested) =>
      mean(own.map((member) => member.accuracy[tested] ?? Number.NaN)),
    );
  });
}

/** The figure's plain data. */
export interface DataDiversityData {
  /** Names of the K conditions. */
  conditionNames: Bilingual[];
  conditions: ViewingCondition[];
  trainSize: number;
  testSize: number;
  /** Layer widths of the MLP, inputs first. */
  layerSizes: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  members: DiversityMemberResult[];
  levels: DiversityLevel[];
  /** Single-condition networks: `[trained][tested]` accuracy. */
  transfer: number[][];
  views: DiversityViews;
}

/** The claim checks of FIGURES.md. */
export function dataDiversityClaims(data: DataDiversityData): Claim[] {
  const conditionCount = data.conditionNames.length;
  const partial = data.levels.filter((level) => level.k < conditionCount);
  const first = data.levels.find((level) => level.k === 1);
  const last = data.levels.find((level) => level.k === conditionCount);
  const inDistribution = data.levels.map((level) => level.inDistribution);
  return [
    checkClaim({
      id: 'unseen-rises',
      statement: `Accuracy on unseen conditions increases with the number k of training conditions, k = 1..${conditionCount - 1} (value: Spearman rho of k and the mean unseen accuracy)`,
      value:
        partial.length < 2 || !partial.every((level) => Number.isFinite(level.unseen))
          ? Number.NaN
          : spearman(
              partial.map((level) => level.k),
              partial.map((level) => level.unseen),
            ),
      comparison: '>=',
      threshold: 0.9,
    }),
    checkClaim({
      id: 'all-conditions-gain',
      statement: `Accuracy on all conditions at k = ${conditionCount} beats k = 1 (value: difference in points)`,
      value: 100 * ((last?.all ?? Number.NaN) - (first?.all ?? Number.NaN)),
      comparison: '>=',
      threshold: 15,
    }),
    checkClaim({
      id: 'in-distribution-stable',
      statement:
        'Accuracy on the training conditions stays within 10 points across k at a fixed number of training digits (value: highest minus lowest, in points)',
      value: 100 * (Math.max(...inDistribution) - Math.min(...inDistribution)),
      comparison: '<=',
      threshold: 10,
    }),
  ];
}

function points(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

/** A count with thousands separators, e.g. 2,000. */
function count(value: number): string {
  return value.toLocaleString('en-US');
}

/**
 * The example digits as one image: the K views stacked top to bottom, the digits of a view side by side,
 * separated by a one-pixel line of mid-grey.
 */
export function viewsMosaic(views: DiversityViews): number[][] {
  const gap = 0.5;
  const rows: number[][] = [];
  views.images.forEach((digits, condition) => {
    if (condition > 0) rows.push(new Array(digits.length * (views.side + 1) - 1).fill(gap));
    for (let row = 0; row < views.side; row++) {
      rows.push(
        digits.flatMap((image, digit) => [
          ...(digit > 0 ? [gap] : []),
          ...image.slice(row * views.side, (row + 1) * views.side),
        ]),
      );
    }
  });
  return rows;
}

/**
 * Adds Vega-Lite axis properties to the x axis of every layer of a panel. `@emerge/viz` has no option
 * for integer-only ticks (k = 1..K) or for hiding the ticks of an unlabelled heatmap axis.
 */
function patchXAxis(spec: FigureSpec, patch: Record<string, unknown>): FigureSpec {
  if (!('layer' in spec) || !Array.isArray(spec.layer)) return spec;
  const layer = spec.layer.map((entry) => {
    const x = (entry as { encoding?: { x?: { axis?: Record<string, unknown> } } }).encoding?.x;
    if (x?.axis === undefined) return entry;
    return { ...entry, encoding: { ...entry.encoding, x: { ...x, axis: { ...x.axis, ...patch } } } };
  });
  return { ...spec, layer } as FigureSpec;
}

/** The `data-diversity` figure. */
export const dataDiversity: FigureDefinition<DataDiversityData> = {
  id: 'data-diversity',
  title: {
    en: 'More diverse data generalizes to unseen conditions',
    zh: '数据越多样，越能泛化到没见过的条件',
  },
  section: sections.data,
  anchor:
    "The article's claim (images under many angles and lightings); Chan et al. 2022 and Raventós et al. 2023 on task diversity thresholds",
  sweep(preset, seed): FigureRun[] {
    const { conditions, minimumMembers, runCount, ...shared } = setups[preset];
    const viewing = conditions.map((named) => named.condition);
    const members = diversityMembers(conditions.length, minimumMembers);
    const views: FigureRun = {
      task: runsModuleUrl,
      exportName: 'dataDiversityViewsRun',
      seed,
      config: {
        conditions: viewing,
        trainSize: shared.trainSize,
        testSize: shared.testSize,
        poolFactor: shared.poolFactor,
        labels: [4, 7],
      } satisfies DataDiversityViewsRunConfig,
    };
    const training = Array.from(
      { length: runCount },
      (_, run): FigureRun => ({
        task: runsModuleUrl,
        exportName: 'dataDiversityRun',
        seed,
        config: {
          ...shared,
          conditions: viewing,
          members: members.filter((_, index) => index % runCount === run),
        } satisfies DataDiversityRunConfig,
      }),
    );
    return [views, ...training];
  },
  assemble(results, preset): DataDiversityData {
    const setup = setups[preset];
    const [views, ...training] = results;
    if (!views) throw new Error('data-diversity: the sweep returned no runs');
    const members = training.flatMap(
      (entry) => (entry.result as { members: DiversityMemberResult[] }).members,
    );
    const side = MNIST_IMAGE_SIDE / setup.poolFactor;
    return {
      conditionNames: setup.conditions.map((named) => named.name),
      conditions: setup.conditions.map((named) => named.condition),
      trainSize: setup.trainSize,
      testSize: setup.testSize,
      layerSizes: [side * side, ...setup.hiddenSizes, CLASSES],
      epochs: setup.epochs,
      batchSize: setup.batchSize,
      learningRate: setup.learningRate,
      members,
      levels: summarizeDiversity(members),
      transfer: transferMatrix(members, setup.conditions.length),
      views: views.result as DiversityViews,
    };
  },
  claims: (data) => dataDiversityClaims(data),
  caption(data, lang) {
    const conditionCount = data.conditionNames.length;
    const first = data.levels.find((level) => level.k === 1);
    const last = data.levels.find((level) => level.k === conditionCount);
    const beforeLast = data.levels.find((level) => level.k === conditionCount - 1);
    const names = data.conditionNames.map((name) => name[lang]).join(lang === 'en' ? ', ' : '、');
    const layers = data.layerSizes.join('-');
    const side = Math.sqrt(data.layerSizes[0] ?? 0);
    const failedText = notHoldingText(dataDiversityClaims(data), lang);
    if (lang === 'en') {
      return `A ${layers} ReLU MLP (digits average-pooled to ${side} x ${side}) trained on ${count(data.trainSize)} MNIST digits shown under k of ${conditionCount} viewing conditions (${names}), for every subset of the conditions (minibatch Adam, ${data.epochs} epochs); tested on ${count(data.testSize)} other digits under every condition. With the data size fixed, accuracy on all conditions rises from ${points(first?.all ?? Number.NaN)} at k = 1 to ${points(last?.all ?? Number.NaN)} at k = ${conditionCount}, and accuracy on the conditions a network never saw from ${points(first?.unseen ?? Number.NaN)} to ${points(beforeLast?.unseen ?? Number.NaN)} at k = ${conditionCount - 1}. Accuracy on the training conditions themselves falls from ${points(first?.inDistribution ?? Number.NaN)} to ${points(last?.inDistribution ?? Number.NaN)}: the same ${count(data.trainSize)} digits and the same model are spread over more views, so each view gets fewer examples. Band: lowest to highest all-condition accuracy over the networks of each k. Right: a network trained on one view transfers to nearby rotations only.${failedText}`;
    }
    return `${layers} 的 ReLU 多层感知机（数字平均池化为 ${side} × ${side}），在 ${count(data.trainSize)} 个 MNIST 数字上训练，这些数字以 ${conditionCount} 种观察条件（${names}）中的 k 种呈现，条件的每个子集都训练一次（小批量 Adam，${data.epochs} 轮）；在另外 ${count(data.testSize)} 个数字的每种条件下测试。训练数据量固定时，全部条件上的准确率从 k = 1 的 ${points(first?.all ?? Number.NaN)} 升到 k = ${conditionCount} 的 ${points(last?.all ?? Number.NaN)}，从未见过的条件上的准确率从 ${points(first?.unseen ?? Number.NaN)} 升到 k = ${conditionCount - 1} 的 ${points(beforeLast?.unseen ?? Number.NaN)}。训练条件本身的准确率从 ${points(first?.inDistribution ?? Number.NaN)} 降到 ${points(last?.inDistribution ?? Number.NaN)}：同样 ${count(data.trainSize)} 个数字、同样大小的模型被分摊到更多视角上，每个视角的样本更少。阴影：每个 k 下各网络全部条件准确率的最低到最高。右图：只在一种视角上训练的网络只能迁移到相近的旋转角度。${failedText}`;
  },
  plot(data, lang) {
    const conditionCount = data.conditionNames.length;
    const labels = data.conditionNames.map((name) => name[lang]);
    const mosaic = viewsMosaic(data.views);
    const viewsPanel = patchXAxis(
      heatmap({
        lang,
        title: { en: '(a) the views', zh: '(a) 观察条件' },
        caption: '',
        x: { title: { en: 'two test digits', zh: '两个测试数字' }, labels: mosaic[0]?.map(() => '') },
        y: {
          title: { en: 'viewing condition', zh: '观察条件' },
          labels: mosaic.map((_, row) => {
            const tile = data.views.side + 1;
            return row % tile === Math.floor(data.views.side / 2)
              ? (labels[Math.floor(row / tile)] ?? '')
              : '';
          }),
        },
        values: mosaic,
        color: { title: { en: 'intensity', zh: '亮度' }, domain: [0, 1] },
        width: Math.round((240 * (mosaic[0]?.length ?? 1)) / mosaic.length),
        height: 240,
      }),
      { ticks: false },
    );
    const k = (level: DiversityLevel) => level.k;
    const accuracyPanel = patchXAxis(
      linePlot({
        lang,
        title: { en: '(b) test accuracy vs diversity', zh: '(b) 测试准确率与多样性' },
        caption: '',
        x: {
          title: {
            en: `training conditions k (of ${conditionCount})`,
            zh: `训练条件数 k（共 ${conditionCount} 种）`,
          },
        },
        y: { title: { en: 'test accuracy', zh: '测试准确率' }, format: '.0%', domain: [0, 1] },
        series: [
          {
            name: { en: 'training conditions', zh: '训练条件' },
            points: data.levels.map((level) => ({ x: k(level), y: level.inDistribution })),
          },
          {
            name: { en: 'all conditions', zh: '全部条件' },
            points: data.levels.map((level) => ({
              x: k(level),
              y: level.all,
              low: level.allLow,
              high: level.allHigh,
            })),
          },
          {
            name: { en: 'unseen conditions', zh: '未见过的条件' },
            points: data.levels
              .filter((level) => Number.isFinite(level.unseen))
              .map((level) => ({ x: k(level), y: level.unseen })),
          },
        ],
        points: true,
        annotations: [{ kind: 'rule', y: 1 / CLASSES, label: { en: 'chance', zh: '随机猜测' } }],
      }),
      { tickMinStep: 1, format: 'd' },
    );
    const transferPanel = heatmap({
      lang,
      title: { en: '(c) trained on one view (k = 1)', zh: '(c) 只在一种视角上训练（k = 1）' },
      caption: '',
      x: { title: { en: 'tested under', zh: '测试条件' }, labels },
      y: { title: { en: 'trained under', zh: '训练条件' }, labels },
      values: data.transfer.map((row) => row.map((value) => (Number.isFinite(value) ? value : 0))),
      color: { title: { en: 'test accuracy', zh: '测试准确率' }, domain: [0, 1] },
      width: 240,
      height: 240,
    });
    return multiPanel({
      lang,
      title: dataDiversity.title,
      caption: dataDiversity.caption(data, lang),
      panels: [viewsPanel, accuracyPanel, transferPanel],
    });
  },
};
