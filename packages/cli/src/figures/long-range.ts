/**
 * `long-range` (§3): accuracy on delayed recall against the distance d from a marked key to the query,
 * for a 2-layer Transformer and a tanh RNN, an LSTM and a GRU of matched parameter count, each trained
 * with the same optimizer and the same step cap (the runs are in `long-range-run.ts`). Attention reaches
 * the key in one step whatever d is; a recurrence must carry it through d updates, and its gradient
 * shrinks geometrically on the way back (Bengio, Simard, Frasconi 1994).
 */
import { linePlot, multiPanel } from '@emerge/viz';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun } from '../figure.js';
import { sections } from '../sections.js';
import {
  type LongRangeModel,
  type LongRangeResult,
  type LongRangeRunConfig,
  longRangeFigureRun,
  longRangeRunConfig,
  longRangeSetups,
  RECURRENT_MODELS,
  transformerParametersWithoutPositions,
} from './long-range-run.js';

/** Every architecture, in drawing order. */
const LONG_RANGE_MODELS: readonly LongRangeModel[] = ['transformer', ...RECURRENT_MODELS];

/** One architecture at one distance in the figure's data. */
export interface LongRangePoint {
  model: LongRangeModel;
  distance: number;
  length: number;
  accuracy: number;
  steps: number;
  parameterCount: number;
  /** Recurrent models: the hidden width matched to the Transformer's parameters. */
  hiddenSize?: number;
}

/** The figure's plain data. */
export interface LongRangeData {
  symbols: number;
  modelSize: number;
  headCount: number;
  batchSize: number;
  learningRate: number;
  maxSteps: number;
  checkEvery: number;
  targetAccuracy: number;
  testSize: number;
  /** The Transformer's parameters without its position table (what the RNNs are matched to). */
  matchedParameters: number;
  /** The equal-budget comparison: every architecture at every distance. */
  points: LongRangePoint[];
  /** The GRU at the largest d trained at {@link contrastLearningRate} instead (not part of any claim). */
  contrast: LongRangePoint;
  contrastLearningRate: number;
}

/** The points of one architecture, by increasing distance. */
export function pointsOf(data: LongRangeData, model: LongRangeModel): LongRangePoint[] {
  return data.points.filter((point) => point.model === model).sort((a, b) => a.distance - b.distance);
}

function accuracyAt(data: LongRangeData, model: LongRangeModel, distance: number): number {
  return (
    data.points.find((point) => point.model === model && point.distance === distance)?.accuracy ?? Number.NaN
  );
}

/** The largest distance of the data. */
function largestDistance(data: LongRangeData): number {
  return Math.max(...data.points.map((point) => point.distance));
}

/** The claim checks of FIGURES.md. */
export function longRangeClaims(data: LongRangeData): Claim[] {
  const chance = 1 / data.symbols;
  const largest = largestDistance(data);
  const transformer = pointsOf(data, 'transformer');
  const worstTransformer =
    transformer.length === 0 ? Number.NaN : Math.min(...transformer.map((point) => point.accuracy));
  const transformerAtLargest = accuracyAt(data, 'transformer', largest);
  const gaps = RECURRENT_MODELS.map((model) => transformerAtLargest - accuracyAt(data, model, largest));
  return [
    checkClaim({
      id: 'transformer-every-distance',
      statement:
        'The Transformer reaches at least 95% held-out accuracy at every distance (value: its lowest accuracy)',
      value: worstTransformer,
      comparison: '>=',
      threshold: 0.95,
    }),
    checkClaim({
      id: 'rnn-at-chance',
      statement: `At the largest distance (d = ${largest}) the simple tanh RNN is within 10 points of chance (1/${data.symbols}) (value: |accuracy - chance|)`,
      value: Math.abs(accuracyAt(data, 'rnn', largest) - chance),
      comparison: '<=',
      threshold: 0.1,
    }),
    checkClaim({
      id: 'every-rnn-below-transformer',
      statement: `At the largest distance (d = ${largest}) every RNN variant (tanh RNN, LSTM, GRU) is at least 20 points below the Transformer (value: smallest gap)`,
      value: gaps.some((gap) => Number.isNaN(gap)) ? Number.NaN : Math.min(...gaps),
      comparison: '>=',
      threshold: 0.2,
    }),
  ];
}

const MODEL_NAMES: Record<LongRangeModel, { en: string; zh: string }> = {
  transformer: { en: 'Transformer', zh: 'Transformer' },
  rnn: { en: 'tanh RNN', zh: 'tanh RNN' },
  lstm: { en: 'LSTM', zh: 'LSTM' },
  gru: { en: 'GRU', zh: 'GRU' },
};

function percent(value: number): string {
  return Number.isFinite(value) ? `${Math.round(100 * value)}%` : '?';
}

/** How an architecture's accuracy falls with distance; see {@link describeFall}. */
export interface Fall {
  /** The largest distance still at >= 90% accuracy (null if none). */
  lastHigh: number | null;
  /** The smallest distance from which every larger one is within 10 points of chance (null if the largest is not). */
  firstChance: number | null;
  /** Whether the accuracy goes straight from >= 90% at `lastHigh` to chance at the next distance. */
  cliff: boolean;
  /** Distances below `lastHigh` that are under 90% (a model that failed there but not further out). */
  dips: number[];
}

/**
 * Describes an architecture's accuracy against distance (points by increasing distance) in the terms
 * the caption uses.
 * @example
 * ```ts
 * // 100% at d = 4 and 8, then chance: a cliff between 8 and 16.
 * describeFall(points, 0.125); // { lastHigh: 8, firstChance: 16, cliff: true, dips: [] }
 * ```
 */
export function describeFall(points: LongRangePoint[], chance: number): Fall {
  const high = points.filter((point) => point.accuracy >= 0.9);
  const lastHigh = high[high.length - 1]?.distance ?? null;
  let firstChance: number | null = null;
  for (let index = points.length - 1; index >= 0; index--) {
    const point = points[index] as LongRangePoint;
    if (point.accuracy > chance + 0.1) break;
    firstChance = point.distance;
  }
  const next = points.find((point) => lastHigh !== null && point.distance > lastHigh);
  const cliff = next !== undefined && next.distance === firstChance;
  const dips = points
    .filter((point) => lastHigh !== null && point.distance < lastHigh && point.accuracy < 0.9)
    .map((point) => point.distance);
  return { lastHigh, firstChance, cliff, dips };
}

function fallText(data: LongRangeData, model: LongRangeModel, lang: 'en' | 'zh'): string {
  const points = pointsOf(data, model);
  const { lastHigh, firstChance, cliff, dips } = describeFall(points, 1 / data.symbols);
  const name = MODEL_NAMES[model][lang];
  const values = points.map((point) => percent(point.accuracy)).join(' → ');
  const largest = points[points.length - 1]?.distance;
  const dipText = (en: boolean) =>
    dips.length === 0
      ? ''
      : en
        ? `, although it failed at d = ${dips.join(', ')} within the budget`
        : `，不过在 d = ${dips.join('、')} 时未能在预算内学会`;
  if (lang === 'en') {
    if (firstChance === null) {
      return lastHigh === largest
        ? `the ${name} is at >= 90% up to the largest d = ${largest}${dipText(true)} (${values})`
        : `the ${name} does not fall to chance (${values})`;
    }
    const from =
      lastHigh === null
        ? 'is never at 90% and'
        : `is at >= 90% last at d = ${lastHigh}${dipText(true)}, then`;
    return `the ${name} ${from} ${cliff ? 'falls off a cliff to' : 'declines to'} chance from d = ${firstChance} on (${values})`;
  }
  if (firstChance === null) {
    return lastHigh === largest
      ? `${name} 直到最大距离 d = ${largest} 都保持 >= 90%${dipText(false)}（${values}）`
      : `${name} 没有降到随机水平（${values}）`;
  }
  const from =
    lastHigh === null ? '从未达到 90%，' : `最后一次 >= 90% 是在 d = ${lastHigh}${dipText(false)}，`;
  return `${name} ${from}${cliff ? '随后断崖式跌到' : '随后逐渐降到'}随机水平（从 d = ${firstChance} 起：${values}）`;
}

function stepsText(data: LongRangeData, model: LongRangeModel): string {
  return pointsOf(data, model)
    .map((point) => point.steps)
    .join('/');
}

/** The caption's sentence on the GRU trained at the contrast learning rate. */
function contrastText(data: LongRangeData, lang: 'en' | 'zh'): string {
  const { contrast } = data;
  const gruSteps = stepsText(data, 'gru');
  const learned = contrast.accuracy >= 0.9;
  if (lang === 'en') {
    return learned
      ? ` Outside the comparison, the same GRU at d = ${contrast.distance} trained with Adam at ${data.contrastLearningRate} instead of ${data.learningRate} reaches ${percent(contrast.accuracy)} after ${contrast.steps} steps (the separate point): a gated cell can hold one marked key across the distractors, so what fails for the GRU at ${data.learningRate} is learning to do so within ${data.maxSteps} steps, and the steps it needed grew with d (${gruSteps}).`
      : ` Outside the comparison, the same GRU at d = ${contrast.distance} trained with Adam at ${data.contrastLearningRate} instead of ${data.learningRate} reaches ${percent(contrast.accuracy)} after ${contrast.steps} steps (the separate point).`;
  }
  return learned
    ? ` 对比之外，同一个 GRU 在 d = ${contrast.distance} 时改用学习率 ${data.contrastLearningRate}（而非 ${data.learningRate}）训练，${contrast.steps} 步后达到 ${percent(contrast.accuracy)}（单独的点）：门控单元能够在干扰符号间保存一个被标记的键，所以 GRU 在学习率 ${data.learningRate} 下失败的原因是没能在 ${data.maxSteps} 步内学会这样做，它需要的步数随 d 增加（${gruSteps}）。`
    : ` 对比之外，同一个 GRU 在 d = ${contrast.distance} 时改用学习率 ${data.contrastLearningRate}（而非 ${data.learningRate}）训练，${contrast.steps} 步后只达到 ${percent(contrast.accuracy)}（单独的点）。`;
}

/** The `long-range` figure. */
export const longRange: FigureDefinition<LongRangeData> = {
  id: 'long-range',
  title: {
    en: 'Long-range dependencies: recall accuracy vs distance, Transformer vs RNNs',
    zh: '长程依赖：回忆准确率随距离的变化，Transformer 与循环网络对比',
  },
  section: sections.architecture,
  anchor:
    'Bengio, Simard, Frasconi 1994 (learning long-term dependencies with gradient descent is difficult); Vaswani et al. 2017; associative-recall comparisons (Transformer ~100%, LSTM ~36%)',
  sweep(preset, seed): FigureRun[] {
    const setup = longRangeSetups[preset];
    // Longest sequences and slowest models first, so the two workers end at about the same time.
    const order: LongRangeModel[] = ['lstm', 'rnn', 'gru', 'transformer'];
    const largest = setup.distances[setup.distances.length - 1] ?? 1;
    const contrast = {
      ...longRangeRunConfig(setup, 'gru', largest),
      learningRate: setup.contrastLearningRate,
    };
    return [
      ...[...setup.distances]
        .reverse()
        .flatMap((distance) =>
          order.map((model) => longRangeFigureRun(longRangeRunConfig(setup, model, distance), seed)),
        ),
      longRangeFigureRun(contrast, seed),
    ];
  },
  assemble(results, preset): LongRangeData {
    const setup = longRangeSetups[preset];
    const all = results.map((entry): LongRangePoint => {
      const config = entry.run.config as LongRangeRunConfig;
      const result = entry.result as LongRangeResult;
      return {
        model: config.model,
        distance: config.distance,
        length: config.length,
        accuracy: result.accuracy,
        steps: result.steps,
        parameterCount: result.parameterCount,
        ...(config.model === 'transformer' ? {} : { hiddenSize: config.hiddenSize }),
      };
    });
    // The sweep's last run is the GRU at the contrast learning rate.
    const contrast = all[all.length - 1];
    if (!contrast) throw new Error('long-range: the sweep returned no runs');
    const points = all.slice(0, -1);
    return {
      symbols: setup.symbols,
      modelSize: setup.modelSize,
      headCount: setup.headCount,
      batchSize: setup.batchSize,
      learningRate: setup.learningRate,
      maxSteps: setup.maxSteps,
      checkEvery: setup.checkEvery,
      targetAccuracy: setup.targetAccuracy,
      testSize: setup.testSize,
      matchedParameters: transformerParametersWithoutPositions(
        2 * setup.symbols + 1,
        setup.modelSize,
        setup.headCount,
      ),
      points: LONG_RANGE_MODELS.flatMap((model) =>
        points.filter((point) => point.model === model).sort((a, b) => a.distance - b.distance),
      ),
      contrast,
      contrastLearningRate: setup.contrastLearningRate,
    };
  },
  claims: (data) => longRangeClaims(data),
  caption(data, lang) {
    const largest = largestDistance(data);
    const transformer = pointsOf(data, 'transformer');
    const atLargest = transformer.find((point) => point.distance === largest);
    const sizes = RECURRENT_MODELS.map((model) => {
      const point = pointsOf(data, model)[0];
      return `${MODEL_NAMES[model][lang]} ${lang === 'en' ? 'hidden' : '隐藏宽度'} ${point?.hiddenSize} (${point?.parameterCount.toLocaleString('en')})`;
    }).join(', ');
    const falls = RECURRENT_MODELS.map((model) => fallText(data, model, lang)).join(
      lang === 'en' ? '; ' : '；',
    );
    const transformerValues = transformer.map((point) => percent(point.accuracy)).join(' → ');
    const steps = LONG_RANGE_MODELS.map(
      (model) => `${MODEL_NAMES[model][lang]} ${stepsText(data, model)}`,
    ).join(', ');
    const keepingUp = RECURRENT_MODELS.filter(
      (model) => accuracyAt(data, 'transformer', largest) - accuracyAt(data, model, largest) < 0.2,
    ).map((model) => MODEL_NAMES[model][lang]);
    const notHolding =
      keepingUp.length === 0
        ? ''
        : lang === 'en'
          ? ` At d = ${largest} the ${keepingUp.join(' and the ')} ${keepingUp.length === 1 ? 'is' : 'are'} within 20 points of the Transformer, so the claim that every RNN variant falls at least 20 points below it does not hold here: a gated cell can keep its state unchanged across the distractors once it has stored the marked key (as LSTMs do on marked-input tasks in Hochreiter & Schmidhuber 1997), so it need not carry a gradient through d contracting steps.`
          : ` 在 d = ${largest} 时 ${keepingUp.join('、')} 与 Transformer 相差不到 20 个百分点，因此"每种 RNN 都至少低 20 个百分点"这一论断在此不成立：门控单元存下被标记的键之后，可以在干扰符号上保持状态不变（如 Hochreiter 与 Schmidhuber 1997 年 LSTM 在带标记输入任务上的表现），梯度不必穿过 d 个收缩的步骤。`;
    return lang === 'en'
      ? `Delayed recall with ${data.symbols} symbols (chance ${percent(1 / data.symbols)}): a marked key among random distractors, a query d positions later, the answer is the key's symbol; sequences of length 2d. Accuracy at the query on ${data.testSize} held-out sequences. The 2-layer Transformer (d_model ${data.modelSize}, ${data.headCount} heads; ${data.matchedParameters.toLocaleString('en')} parameters plus ${data.modelSize} per position, ${atLargest?.parameterCount.toLocaleString('en')} at d = ${largest}) holds ${transformerValues}. The recurrent models are matched to its parameters without the position table: ${sizes}. ${falls.charAt(0).toUpperCase()}${falls.slice(1)}. Equal budget: Adam (learning rate ${data.learningRate}, batch ${data.batchSize}) for at most ${data.maxSteps} steps each, stopping early once ${percent(data.targetAccuracy)} of a fixed check set is right (checked every ${data.checkEvery} steps); steps used per d: ${steps}. One seed per architecture and distance.${notHolding}${contrastText(data, 'en')}`
      : `${data.symbols} 个符号的延迟回忆任务（随机水平 ${percent(1 / data.symbols)}）：随机干扰符号中有一个被标记的键，d 个位置之后出现查询，答案是键的符号；序列长度 2d。纵轴为 ${data.testSize} 条留出序列上查询位置的准确率。2 层 Transformer（d_model ${data.modelSize}，${data.headCount} 个头；${data.matchedParameters.toLocaleString('en')} 个参数另加每个位置 ${data.modelSize} 个，d = ${largest} 时共 ${atLargest?.parameterCount.toLocaleString('en')}）依次为 ${transformerValues}。循环网络与其不含位置表的参数量匹配：${sizes}。${falls}。相同预算：Adam（学习率 ${data.learningRate}，批大小 ${data.batchSize}），每个模型最多 ${data.maxSteps} 步，固定检查集准确率达到 ${percent(data.targetAccuracy)} 即提前停止（每 ${data.checkEvery} 步检查一次）；各 d 实际用的步数：${steps}。每种模型在每个距离上只训练一个种子。${notHolding}${contrastText(data, 'zh')}`;
  },
  plot(data, lang) {
    const distanceAxis = {
      title: { en: 'distance d from key to query', zh: '键到查询的距离 d' },
      scale: 'log' as const,
    };
    // The Transformer last, so its line is drawn on top where a recurrent model also reaches 100%.
    const series = (measure: 'accuracy' | 'steps') => [
      ...[...RECURRENT_MODELS, 'transformer' as const].map((model) => ({
        name: MODEL_NAMES[model],
        points: pointsOf(data, model).map((point) => ({ x: point.distance, y: point[measure] })),
      })),
      {
        name: {
          en: `GRU, learning rate ${data.contrastLearningRate}`,
          zh: `GRU，学习率 ${data.contrastLearningRate}`,
        },
        points: [{ x: data.contrast.distance, y: data.contrast[measure] }],
      },
    ];
    const accuracyPanel = linePlot({
      lang,
      title: { en: '(a) held-out accuracy at the query', zh: '(a) 查询位置的留出准确率' },
      caption: '',
      x: distanceAxis,
      y: { title: { en: 'accuracy', zh: '准确率' }, format: '.0%', domain: [0, 1] },
      series: series('accuracy'),
      points: true,
      annotations: [{ kind: 'rule', y: 1 / data.symbols, label: { en: 'chance', zh: '随机水平' } }],
    });
    const stepsPanel = linePlot({
      lang,
      title: { en: '(b) training steps used', zh: '(b) 实际训练步数' },
      caption: '',
      x: distanceAxis,
      y: {
        title: { en: 'Adam steps (early stop or cap)', zh: 'Adam 步数（提前停止或上限）' },
        domain: [0, data.maxSteps],
      },
      series: series('steps'),
      points: true,
      annotations: [{ kind: 'rule', y: data.maxSteps, label: { en: 'step cap', zh: '步数上限' } }],
    });
    return multiPanel({
      lang,
      title: longRange.title,
      caption: longRange.caption(data, lang),
      panels: [accuracyPanel, stepsPanel],
    });
  },
};
