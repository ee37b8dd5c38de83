/**
 * `compute-frontier` (§2): the character-level language model of `data-scaling` at several widths,
 * trained on the whole Brown training split, its validation loss logged against training FLOPs (6N
 * per token). The lower envelope over the widths, the compute-efficient frontier, falls as a power of
 * compute, and the width that reaches it grows with compute; each smaller model, trained longer than
 * the largest, flattens out above it (Kaplan et al. 2020 Fig. 1 and 2; Hoffmann et al. 2022).
 */
import { logLogSlope, spearman } from '@emerge/core';
import { multiPanel, powerLawPlot } from '@emerge/viz';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun, type Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { sections } from '../sections.js';
import type {
  CharacterLanguageModelConfig,
  CharacterLanguageModelResult,
} from './character-language-model.js';
import { logSpacedSteps } from './grokking.js';
import { notHoldingText } from './not-holding-text.js';

/** What every width shares. */
interface ComputeFrontierTraining {
  layerCount: number;
  contextLength: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  weightDecay: number;
  /** Log-spaced validation measurements per run, from step 1 to its last step. */
  evaluationCount: number;
  evaluationWindows: number;
  /** The frontier starts at the compute the smallest width has spent after this many steps (its loss is still falling from log V before). */
  frontierFromStep: number;
  /** Log-spaced compute values at which the frontier is read. */
  frontierPoints: number;
}

/** The setup of one preset: the shared training and each width's step budget (one run each). */
interface ComputeFrontierSetup extends ComputeFrontierTraining {
  models: Array<{ modelSize: number; headCount: number; steps: number }>;
}

const setups: Record<Preset, ComputeFrontierSetup> = {
  smoke: {
    layerCount: 1,
    contextLength: 16,
    batchSize: 8,
    learningRate: 1e-2,
    warmupSteps: 2,
    weightDecay: 0.01,
    evaluationCount: 4,
    evaluationWindows: 16,
    frontierFromStep: 2,
    frontierPoints: 8,
    models: [
      { modelSize: 4, headCount: 1, steps: 8 },
      { modelSize: 6, headCount: 2, steps: 6 },
      { modelSize: 8, headCount: 2, steps: 4 },
    ],
  },
  quick: {
    layerCount: 2,
    contextLength: 32,
    batchSize: 32,
    learningRate: 1e-2,
    warmupSteps: 20,
    weightDecay: 0.01,
    evaluationCount: 40,
    evaluationWindows: 256,
    frontierFromStep: 100,
    frontierPoints: 40,
    models: [
      { modelSize: 4, headCount: 1, steps: 2400 },
      { modelSize: 6, headCount: 2, steps: 1500 },
      { modelSize: 8, headCount: 2, steps: 2000 },
      { modelSize: 12, headCount: 2, steps: 3000 },
      { modelSize: 16, headCount: 2, steps: 3000 },
    ],
  },
  full: {
    layerCount: 2,
    contextLength: 64,
    batchSize: 32,
    learningRate: 5e-3,
    warmupSteps: 50,
    weightDecay: 0.01,
    evaluationCount: 60,
    evaluationWindows: 512,
    frontierFromStep: 100,
    frontierPoints: 60,
    models: [
      { modelSize: 4, headCount: 1, steps: 3000 },
      { modelSize: 6, headCount: 2, steps: 4000 },
      { modelSize: 8, headCount: 2, steps: 5000 },
      { modelSize: 12, headCount: 2, steps: 6000 },
      { modelSize: 16, headCount: 2, steps: 8000 },
      { modelSize: 24, headCount: 4, steps: 10000 },
      { modelSize: 32, headCount: 4, steps: 10000 },
    ],
  },
};

/** One width's validation loss against the training FLOPs spent. */
export interface ComputeCurve {
  modelSize: number;
  nonEmbeddingParameters: number;
  steps: number;
  /** Training FLOPs (6N per token) at each measurement, increasing. */
  compute: number[];
  /** Validation loss, nats per character, at each measurement. */
  loss: number[];
}

/** The frontier at one compute value: the lowest loss over the widths and the width that has it. */
export interface FrontierPoint {
  compute: number;
  loss: number;
  modelSize: number;
  nonEmbeddingParameters: number;
}

/**
 * A curve's loss at `compute`, interpolated linearly in log-log space between its measurements; NaN
 * outside the compute range it covers.
 * @example
 * ```ts
 * lossAtCompute({ modelSize: 4, nonEmbeddingParameters: 1, steps: 2, compute: [1, 100], loss: [4, 1] }, 10); // 2
 * ```
 */
export function lossAtCompute(curve: ComputeCurve, compute: number): number {
  const { compute: xs, loss: ys } = curve;
  const first = xs[0];
  const last = xs[xs.length - 1];
  if (first === undefined || last === undefined || !(compute >= first && compute <= last)) return Number.NaN;
  let upper = 1;
  while (upper < xs.length - 1 && (xs[upper] as number) < compute) upper++;
  const x0 = xs[upper - 1] ?? first;
  const x1 = xs[upper] ?? first;
  const y0 = ys[upper - 1] ?? Number.NaN;
  const y1 = ys[upper] ?? y0;
  if (x1 === x0) return y0;
  const share = Math.log(compute / x0) / Math.log(x1 / x0);
  return Math.exp((1 - share) * Math.log(y0) + share * Math.log(y1));
}

/** The lowest loss over `curves` at `compute` and the curve that has it (undefined where none covers it). */
function lowestAt(curves: readonly ComputeCurve[], compute: number): FrontierPoint | undefined {
  let best: FrontierPoint | undefined;
  for (const curve of curves) {
    const loss = lossAtCompute(curve, compute);
    if (Number.isFinite(loss) && (best === undefined || loss < best.loss)) {
      best = {
        compute,
        loss,
        modelSize: curve.modelSize,
        nonEmbeddingParameters: curve.nonEmbeddingParameters,
      };
    }
  }
  return best;
}

/**
 * The compute-efficient frontier: the lower envelope of the curves at `points` log-spaced compute
 * values from `from` to the largest compute any curve reaches.
 * @example
 * ```ts
 * const frontier = lowerEnvelope(curves, { from: 1e8, points: 40 });
 * frontier.map((point) => point.modelSize); // the compute-optimal width at each compute
 * ```
 */
export function lowerEnvelope(
  curves: readonly ComputeCurve[],
  options: { from: number; points: number },
): FrontierPoint[] {
  const to = Math.max(...curves.map((curve) => curve.compute[curve.compute.length - 1] ?? 0));
  const frontier: FrontierPoint[] = [];
  for (let index = 0; index < options.points; index++) {
    const compute = options.from * (to / options.from) ** (index / Math.max(1, options.points - 1));
    const point = lowestAt(curves, compute);
    if (point) frontier.push(point);
  }
  return frontier;
}

/**
 * How far each curve ends above the frontier: its last loss over the lowest loss of any curve at the
 * same compute, minus 1 (0 when it ends on the frontier).
 * @example
 * ```ts
 * frontierGaps(curves)[0]; // e.g. 0.06: the smallest model ends 6% above the frontier
 * ```
 */
export function frontierGaps(curves: readonly ComputeCurve[]): number[] {
  return curves.map((curve) => {
    const end = curve.compute[curve.compute.length - 1] ?? Number.NaN;
    const lowest = lowestAt(curves, end);
    return lowest ? (curve.loss[curve.loss.length - 1] ?? Number.NaN) / lowest.loss - 1 : Number.NaN;
  });
}

/** The figure's plain data. */
export interface ComputeFrontierData extends ComputeFrontierTraining {
  /** Smallest width first. */
  curves: ComputeCurve[];
  frontier: FrontierPoint[];
}

/** The power law L = a C^slope through the frontier (log-log least squares) and its R^2 in log space. */
function frontierFit(data: ComputeFrontierData) {
  return data.frontier.length >= 2
    ? logLogSlope(
        data.frontier.map((point) => point.compute),
        data.frontier.map((point) => point.loss),
      )
    : undefined;
}

/** The compute-optimal size against compute: a power law N_opt ~ C^slope through the frontier's widths. */
function optimalSizeFit(data: ComputeFrontierData) {
  return data.frontier.length >= 2
    ? logLogSlope(
        data.frontier.map((point) => point.compute),
        data.frontier.map((point) => point.nonEmbeddingParameters),
      )
    : undefined;
}

/** Spearman rho of compute against the compute-optimal size along the frontier. */
function optimalSizeRank(data: ComputeFrontierData): number {
  return data.frontier.length >= 2
    ? spearman(
        data.frontier.map((point) => point.compute),
        data.frontier.map((point) => point.nonEmbeddingParameters),
      )
    : Number.NaN;
}

/** The compute-frontier claim checks of FIGURES.md. */
export function computeFrontierClaims(data: ComputeFrontierData): Claim[] {
  const fit = frontierFit(data);
  const gaps = frontierGaps(data.curves);
  const smallest = data.curves[0];
  return [
    checkClaim({
      id: 'frontier-power-law',
      statement: `The lower envelope of validation loss over the widths follows a power law L ~ C^-a in training compute (value: R^2 of the log-log fit, a = ${fit ? (-fit.slope).toFixed(3) : 'n/a'})`,
      value: fit?.rSquared ?? Number.NaN,
      comparison: '>=',
      threshold: 0.9,
    }),
    checkClaim({
      id: 'optimal-size-grows',
      statement:
        'The compute-optimal model size grows with compute (value: Spearman rho of compute vs the non-embedding parameters of the width on the frontier)',
      value: optimalSizeRank(data),
      comparison: '>=',
      threshold: 0.8,
    }),
    checkClaim({
      id: 'smallest-above-frontier',
      statement: `The smallest model (d_model ${smallest?.modelSize ?? '?'}) ends at least 5% above the frontier at its final compute (value: its final loss / frontier loss - 1)`,
      value: gaps[0] ?? Number.NaN,
      comparison: '>=',
      threshold: 0.05,
    }),
    checkClaim({
      id: 'others-above-frontier',
      statement:
        'Every model but the largest ends at least 2% above the frontier at its final compute (value: the smallest such gap)',
      value: gaps.length >= 2 ? Math.min(...gaps.slice(0, -1)) : Number.NaN,
      comparison: '>=',
      threshold: 0.02,
    }),
  ];
}

function exponential(value: number): string {
  return value.toExponential(1).replace('e+', 'e');
}

/** The `compute-frontier` figure. */
export const computeFrontier: FigureDefinition<ComputeFrontierData> = {
  id: 'compute-frontier',
  title: {
    en: 'Compute: loss vs training FLOPs, and the compute-optimal frontier',
    zh: '算力：损失与训练计算量，以及计算最优前沿',
  },
  section: sections.compute,
  anchor:
    'Kaplan et al. 2020 Fig. 1/2: the compute-efficient frontier L(C) ~ C^-0.050, reached by larger models as compute grows; Hoffmann et al. 2022 (Chinchilla)',
  sweep(preset, seed): FigureRun[] {
    const {
      models,
      evaluationCount,
      frontierFromStep: _from,
      frontierPoints: _points,
      ...training
    } = setups[preset];
    // Widest first: the longest runs start at once.
    const widestFirst = [...models].sort((left, right) => right.modelSize - left.modelSize);
    return widestFirst.map(
      ({ steps, ...model }): FigureRun => ({
        task: runsModuleUrl,
        exportName: 'characterLanguageModelRun',
        seed,
        config: {
          ...training,
          ...model,
          trainCharacters: null,
          maxSteps: steps,
          evaluateAt: logSpacedSteps(steps, evaluationCount),
          patience: null,
        } satisfies CharacterLanguageModelConfig,
      }),
    );
  },
  assemble(results, preset): ComputeFrontierData {
    const { models: _models, ...training } = setups[preset];
    const curves = results
      .map((entry) => entry.result as CharacterLanguageModelResult)
      .sort((left, right) => left.nonEmbeddingParameters - right.nonEmbeddingParameters)
      .map((run) => ({
        modelSize: run.modelSize,
        nonEmbeddingParameters: run.nonEmbeddingParameters,
        steps: run.stepsTaken,
        compute: run.trainingFlops,
        loss: run.validationLoss,
      }));
    const smallest = results
      .map((entry) => entry.result as CharacterLanguageModelResult)
      .reduce((left, right) => (right.nonEmbeddingParameters < left.nonEmbeddingParameters ? right : left));
    const from =
      smallest.flopsPerToken * training.frontierFromStep * training.batchSize * training.contextLength;
    return {
      ...training,
      curves,
      frontier: lowerEnvelope(curves, { from, points: training.frontierPoints }),
    };
  },
  claims: (data) => computeFrontierClaims(data),
  caption(data, lang) {
    const claims = computeFrontierClaims(data);
    const fit = frontierFit(data);
    const sizeFit = optimalSizeFit(data);
    const gaps = frontierGaps(data.curves);
    const rho = optimalSizeRank(data);
    const widths = data.curves.map((curve) => `${curve.modelSize} (${curve.steps})`).join(', ');
    const gapText = data.curves
      .map((curve, index) => `d${curve.modelSize} ${(100 * (gaps[index] ?? Number.NaN)).toFixed(1)}%`)
      .join(', ');
    const optimal = [...new Set(data.frontier.map((point) => point.modelSize))].join(' -> ');
    const start = data.frontier[0]?.compute ?? Number.NaN;
    const verdict = notHoldingText(claims, lang);
    return lang === 'en'
      ? `Character-level ${data.layerCount}-layer Transformers, d_model (steps) ${widths}, trained with AdamW (learning rate ${data.learningRate}, batch ${data.batchSize} x ${data.contextLength} characters) on the whole Brown training split; validation loss against training compute C = 6N x characters seen (N: non-embedding parameters). (a) From C = ${exponential(start)} on, the lower envelope falls as L ~ C^-${fit ? (-fit.slope).toFixed(3) : '?'} (R^2 = ${fit?.rSquared.toFixed(3) ?? '?'}; Kaplan et al.: C^-0.050). (b) The width on the frontier grows with compute, d_model ${optimal} (Spearman rho ${rho.toFixed(2)}; N_opt ~ C^${sizeFit?.slope.toFixed(2) ?? '?'}, Kaplan et al.: C^0.73). Each smaller model, trained on past the compute where a larger one overtakes it, flattens out: at its last step it is above the frontier by ${gapText}.${verdict}`
      : `字符级 ${data.layerCount} 层 Transformer，d_model（步数）为 ${widths}，用 AdamW（学习率 ${data.learningRate}，批量 ${data.batchSize} x ${data.contextLength} 个字符）在整个 Brown 训练集上训练；验证损失对训练计算量 C = 6N x 已见字符数（N 为非嵌入参数量）作图。(a) 从 C = ${exponential(start)} 起，下包络按 L ~ C^-${fit ? (-fit.slope).toFixed(3) : '?'} 下降（R^2 = ${fit?.rSquared.toFixed(3) ?? '?'}；Kaplan 等：C^-0.050）。(b) 位于前沿上的宽度随计算量增大：d_model ${optimal}（Spearman rho ${rho.toFixed(2)}；N_opt ~ C^${sizeFit?.slope.toFixed(2) ?? '?'}，Kaplan 等：C^0.73）。每个较小的模型在被更大的模型超越之后继续训练，损失趋于平缓：最后一步时高出前沿 ${gapText}。${verdict}`;
  },
  plot(data, lang) {
    const fit = frontierFit(data);
    const sizeFit = optimalSizeFit(data);
    const frontierName = { en: 'frontier (lower envelope)', zh: '前沿（下包络）' };
    const start = data.frontier[0]?.compute ?? 0;
    const losses = powerLawPlot({
      lang,
      title: { en: '(a) validation loss vs training compute', zh: '(a) 验证损失与训练计算量' },
      caption: '',
      x: {
        title: { en: 'training compute C, FLOPs (log)', zh: '训练计算量 C，FLOPs（对数）' },
        format: '.0e',
      },
      y: { title: { en: 'validation loss, nats per character (log)', zh: '验证损失（每字符 nats，对数）' } },
      series: [
        ...data.curves.map((curve) => ({
          name: { en: `d_model ${curve.modelSize}`, zh: `d_model ${curve.modelSize}` },
          // From the frontier's start on, so the log axes show the part the claims are about.
          points: curve.compute
            .map((compute, index) => ({ x: compute, y: curve.loss[index] ?? 0 }))
            .filter((point) => point.x >= start / 4),
        })),
        {
          name: frontierName,
          points: data.frontier.map((point) => ({ x: point.compute, y: point.loss })),
        },
      ].filter((series) => series.points.length > 0),
      fits: fit
        ? [
            {
              series: frontierName,
              coefficient: Math.exp(fit.intercept),
              exponent: fit.slope,
              label: `C^${fit.slope.toFixed(3)}, R^2 = ${fit.rSquared.toFixed(3)}`,
            },
          ]
        : [],
    });
    const optimalName = { en: 'compute-optimal size', zh: '计算最优规模' };
    const sizes = powerLawPlot({
      lang,
      title: { en: '(b) compute-optimal model size', zh: '(b) 计算最优的模型规模' },
      caption: '',
      x: {
        title: { en: 'training compute C, FLOPs (log)', zh: '训练计算量 C，FLOPs（对数）' },
        format: '.0e',
      },
      y: { title: { en: 'non-embedding parameters N (log)', zh: '非嵌入参数量 N（对数）' } },
      series: [
        {
          name: optimalName,
          points: data.frontier.map((point) => ({ x: point.compute, y: point.nonEmbeddingParameters })),
        },
      ],
      fits: sizeFit
        ? [
            {
              series: optimalName,
              coefficient: Math.exp(sizeFit.intercept),
              exponent: sizeFit.slope,
              label: `N ~ C^${sizeFit.slope.toFixed(2)}`,
            },
          ]
        : [],
      points: true,
    });
    return multiPanel({
      lang,
      title: computeFrontier.title,
      caption: computeFrontier.caption(data, lang),
      panels: [losses, sizes],
    });
  },
};
