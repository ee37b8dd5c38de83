/**
 * `landscape-1d` (§5): the loss on the straight line through the small-batch and the large-batch
 * minimum, theta(alpha) = alpha theta_large + (1 - alpha) theta_small (Keskar et al. 2017 Fig. 3), and
 * along filter-normalized random directions around each (Li et al. 2018): the large-batch minimum
 * sits in a narrower valley.
 */
import { type Annotation, type LineSeries, linePlot, multiPanel } from '@emerge/viz';
import { type Claim, checkClaim, type FigureDefinition, type Preset } from '../figure.js';
import { sections } from '../sections.js';
import { collectLandscapes, flatMinimaRuns, flatMinimaSetups, type TrainedMinimum } from './flat-minima.js';

/** One seed's pair of minima and the 1-D landscapes through and around them. */
export interface Landscape1dPair {
  seed: number;
  small: TrainedMinimum;
  large: TrainedMinimum;
  alphas: number[];
  interpolation: { trainLoss: number[]; trainAccuracy: number[]; testLoss: number[]; testAccuracy: number[] };
  sliceCoordinates: number[];
  /** Training loss `[direction][t]` around each minimum. */
  slices: { small: number[][]; large: number[][] };
}

/** The figure's plain data. */
export interface Landscape1dData {
  trainSize: number;
  testSize: number;
  /** The perturbation radius |t| at which the claim compares the loss rise. */
  claimRadius: number;
  pairs: Landscape1dPair[];
}

/**
 * The mean rise of the loss at t = -radius and t = +radius over t = 0, over every direction; NaN when
 * the coordinates lack 0 or +-radius.
 */
export function sliceRise(curves: number[][], coordinates: number[], radius: number): number {
  const at = (t: number) => coordinates.findIndex((coordinate) => Math.abs(coordinate - t) < 1e-9);
  const centre = at(0);
  const sides = [at(-radius), at(radius)];
  if (centre < 0 || sides.some((index) => index < 0) || curves.length === 0) return Number.NaN;
  let sum = 0;
  for (const curve of curves) {
    for (const side of sides) sum += (curve[side] ?? Number.NaN) - (curve[centre] ?? Number.NaN);
  }
  return sum / (2 * curves.length);
}

/** Large-batch rise over small-batch rise at the claim radius, per pair. */
export function riseRatios(data: Landscape1dData): number[] {
  return data.pairs.map(
    (pair) =>
      sliceRise(pair.slices.large, pair.sliceCoordinates, data.claimRadius) /
      sliceRise(pair.slices.small, pair.sliceCoordinates, data.claimRadius),
  );
}

/** The claim check of FIGURES.md, over every seed (the smallest ratio). */
export function landscape1dClaims(data: Landscape1dData): Claim[] {
  const ratios = riseRatios(data);
  return [
    checkClaim({
      id: 'large-batch-valley-narrower',
      statement: `Under filter-normalized perturbations of radius ${data.claimRadius}, the training-loss rise at the large-batch minimum is at least twice that at the small-batch minimum (value: smallest ratio over seeds, mean over directions and both signs)`,
      value: ratios.length === 0 ? Number.NaN : Math.min(...ratios),
      comparison: '>=',
      threshold: 2,
    }),
  ];
}

/** The claim radius: half the slice range, where the small-batch rise is clear of rounding but not saturated. */
function claimRadius(preset: Preset): number {
  return flatMinimaSetups[preset].landscape.slice.radius / 2;
}

/** Training loss at both ends of the line and its largest value strictly between the two minima. */
export function lineSummary(pair: Landscape1dPair) {
  const losses = pair.interpolation.trainLoss;
  const between = losses.filter((_, index) => (pair.alphas[index] ?? 0) > 0 && (pair.alphas[index] ?? 0) < 1);
  return {
    firstAlpha: pair.alphas[0] ?? Number.NaN,
    first: losses[0] ?? Number.NaN,
    lastAlpha: pair.alphas[pair.alphas.length - 1] ?? Number.NaN,
    last: losses[losses.length - 1] ?? Number.NaN,
    between: between.length === 0 ? Number.NaN : Math.max(...between),
  };
}

function format(value: number): string {
  return Number(value.toPrecision(2)).toString();
}

/** A series of the mean over directions with their range as the band. */
function directionSeries(name: LineSeries['name'], coordinates: number[], curves: number[][]): LineSeries {
  return {
    name,
    points: coordinates.map((t, index) => {
      const values = curves.map((curve) => curve[index] ?? Number.NaN);
      return {
        x: t,
        y: values.reduce((sum, value) => sum + value, 0) / values.length,
        low: Math.min(...values),
        high: Math.max(...values),
      };
    }),
  };
}

/** The `landscape-1d` figure. */
export const landscape1d: FigureDefinition<Landscape1dData> = {
  id: 'landscape-1d',
  title: {
    en: 'The loss between and around a flat and a sharp minimum',
    zh: '平坦极小值与尖锐极小值之间及其周围的损失',
  },
  section: sections.optimization,
  anchor:
    'Keskar et al. 2017 Fig. 3 (loss on the line from the small-batch to the large-batch minimum); Li et al. 2018 (filter-normalized slices)',
  sweep: (preset, seed) => flatMinimaRuns(preset, seed, 'landscape'),
  assemble(results, preset): Landscape1dData {
    const { base } = flatMinimaSetups[preset];
    return {
      trainSize: base.trainSize,
      testSize: base.testSize,
      claimRadius: claimRadius(preset),
      pairs: collectLandscapes(results).map(({ seed, landscape, minima }) => ({
        seed,
        small: minima[0] as TrainedMinimum,
        large: minima[minima.length - 1] as TrainedMinimum,
        alphas: landscape.alphas,
        interpolation: landscape.interpolation,
        sliceCoordinates: landscape.sliceCoordinates,
        slices: landscape.slices,
      })),
    };
  },
  claims: (data) => landscape1dClaims(data),
  caption(data, lang) {
    const pair = data.pairs[0];
    if (pair === undefined) return lang === 'en' ? 'No landscape was computed.' : '没有计算地形。';
    const radius = data.claimRadius;
    const smallRise = sliceRise(pair.slices.small, pair.sliceCoordinates, radius);
    const largeRise = sliceRise(pair.slices.large, pair.sliceCoordinates, radius);
    const directions = pair.slices.small.length;
    const line = lineSummary(pair);
    const seedsText =
      data.pairs.length > 1
        ? lang === 'en'
          ? ` (seed ${pair.seed} drawn; the claim takes the smallest ratio over ${data.pairs.length} seeds)`
          : `（绘制种子 ${pair.seed}；判定取 ${data.pairs.length} 个种子中最小的比值）`
        : '';
    return lang === 'en'
      ? `Left: loss and accuracy on the line theta(alpha) = alpha theta_large + (1 - alpha) theta_small between the minima found with batch ${pair.small.batchSize} (alpha = 0) and batch ${pair.large.batchSize} (alpha = 1), on ${data.trainSize} training and ${data.testSize} test digits: the training loss is ${format(line.between)} at most between the minima, ${format(line.first)} at alpha = ${line.firstAlpha} and ${format(line.last)} at alpha = ${line.lastAlpha}. Right: training loss along ${directions} filter-normalized random directions around each minimum (mean and range): at |t| = ${radius} it rises by ${smallRise.toFixed(3)} at the small-batch minimum and by ${largeRise.toFixed(3)} at the large-batch one, ${(largeRise / smallRise).toFixed(1)}x${seedsText}.`
      : `左：在批量 ${pair.small.batchSize}（alpha = 0）与批量 ${pair.large.batchSize}（alpha = 1）找到的两个极小值之间的直线 theta(alpha) = alpha theta_large + (1 - alpha) theta_small 上的损失与准确率（${data.trainSize} 个训练数字、${data.testSize} 个测试数字）：两极小值之间训练损失最高 ${format(line.between)}，alpha = ${line.firstAlpha} 处为 ${format(line.first)}，alpha = ${line.lastAlpha} 处为 ${format(line.last)}。右：沿 ${directions} 个经过滤波器归一化的随机方向的训练损失（均值与范围）：在 |t| = ${radius} 处，小批量极小值的损失上升 ${smallRise.toFixed(3)}，大批量极小值上升 ${largeRise.toFixed(3)}，为 ${(largeRise / smallRise).toFixed(1)} 倍${seedsText}。`;
  },
  plot(data, lang) {
    const pair = data.pairs[0] as Landscape1dPair;
    const alphaAxis = {
      title: {
        en: 'alpha (0: small-batch minimum, 1: large-batch minimum)',
        zh: 'alpha（0：小批量极小值，1：大批量极小值）',
      },
    };
    const ends: Annotation[] = [
      {
        kind: 'rule',
        x: 0,
        label: { en: `batch ${pair.small.batchSize}`, zh: `批量 ${pair.small.batchSize}` },
      },
      {
        kind: 'rule',
        x: 1,
        label: { en: `batch ${pair.large.batchSize}`, zh: `批量 ${pair.large.batchSize}` },
      },
    ];
    const along = (values: number[]) =>
      pair.alphas.map((alpha, index) => ({ x: alpha, y: values[index] ?? 0 }));
    const lossPanel = linePlot({
      lang,
      title: { en: '(a) loss on the line between the minima', zh: '(a) 两极小值连线上的损失' },
      caption: '',
      x: alphaAxis,
      y: { title: { en: 'cross-entropy loss', zh: '交叉熵损失' }, scale: 'log' },
      series: [
        { name: { en: 'train', zh: '训练集' }, points: along(pair.interpolation.trainLoss) },
        { name: { en: 'test', zh: '测试集' }, points: along(pair.interpolation.testLoss) },
      ],
      annotations: ends,
    });
    const accuracyPanel = linePlot({
      lang,
      title: { en: '(b) accuracy on the line between the minima', zh: '(b) 两极小值连线上的准确率' },
      caption: '',
      x: alphaAxis,
      y: { title: { en: 'accuracy', zh: '准确率' }, format: '.0%' },
      series: [
        { name: { en: 'train', zh: '训练集' }, points: along(pair.interpolation.trainAccuracy) },
        { name: { en: 'test', zh: '测试集' }, points: along(pair.interpolation.testAccuracy) },
      ],
      annotations: ends,
    });
    const slicePanel = linePlot({
      lang,
      title: { en: '(c) filter-normalized random directions', zh: '(c) 滤波器归一化的随机方向' },
      caption: '',
      x: { title: { en: 'step t along the direction', zh: '沿方向的步长 t' } },
      y: { title: { en: 'training loss', zh: '训练损失' }, scale: 'log' },
      series: [
        directionSeries(
          { en: `batch ${pair.small.batchSize}`, zh: `批量 ${pair.small.batchSize}` },
          pair.sliceCoordinates,
          pair.slices.small,
        ),
        directionSeries(
          { en: `batch ${pair.large.batchSize}`, zh: `批量 ${pair.large.batchSize}` },
          pair.sliceCoordinates,
          pair.slices.large,
        ),
      ],
      annotations: [
        {
          kind: 'rule',
          x: -data.claimRadius,
          label: { en: `t = -${data.claimRadius}`, zh: `t = -${data.claimRadius}` },
        },
        {
          kind: 'rule',
          x: data.claimRadius,
          label: { en: `t = ${data.claimRadius}`, zh: `t = ${data.claimRadius}` },
        },
      ],
    });
    return multiPanel({
      lang,
      title: landscape1d.title,
      caption: landscape1d.caption(data, lang),
      panels: [lossPanel, accuracyPanel, slicePanel],
    });
  },
};
