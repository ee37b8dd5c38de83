/**
 * `data-scaling` (§1): character-level Transformer language models of three widths trained on nested
 * prefixes of the Brown corpus, each until validation loss stops improving (or a step cap). Test loss
 * falls with the number of training characters D for every width, along a power law
 * L(D) = E + A * D^-alpha (Kaplan et al. 2020; Hestness et al. 2017).
 */
import { fitPowerLaw, type PowerLawFit } from '@emerge/core';
import { linePlot, multiPanel, powerLawPlot } from '@emerge/viz';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun, type Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { sections } from '../sections.js';
import type {
  CharacterLanguageModelConfig,
  CharacterLanguageModelResult,
} from './character-language-model.js';
import { notHoldingText } from './not-holding-text.js';

/** A rise of test loss from one training-set size to the next up to this share of the curve's range counts as noise. */
const RISE_TOLERANCE = 0.01;

/** What every run of a preset shares: the architecture but its width, the optimizer and the stopping rule. */
interface DataScalingTraining {
  layerCount: number;
  contextLength: number;
  batchSize: number;
  learningRate: number;
  warmupSteps: number;
  weightDecay: number;
  /** The step cap. */
  maxSteps: number;
  /** Validation loss is measured every this many steps. */
  evaluateEvery: number;
  evaluationWindows: number;
  /** Evaluations without a new best before a run stops. */
  patience: number;
}

/** The setup of one preset: the shared training, the widths and the training-set sizes (one run each). */
interface DataScalingSetup extends DataScalingTraining {
  /** d_model and attention heads of each width. */
  models: Array<{ modelSize: number; headCount: number }>;
  /** Training-set sizes in characters, each a prefix of the next. */
  trainSizes: number[];
}

const setups: Record<Preset, DataScalingSetup> = {
  smoke: {
    layerCount: 1,
    contextLength: 16,
    batchSize: 8,
    learningRate: 5e-3,
    warmupSteps: 2,
    weightDecay: 0.01,
    maxSteps: 6,
    evaluateEvery: 2,
    evaluationWindows: 16,
    patience: 2,
    models: [
      { modelSize: 4, headCount: 1 },
      { modelSize: 8, headCount: 2 },
    ],
    trainSizes: [256, 512, 1024],
  },
  quick: {
    layerCount: 2,
    contextLength: 32,
    batchSize: 32,
    learningRate: 5e-3,
    warmupSteps: 20,
    weightDecay: 0.01,
    maxSteps: 1200,
    evaluateEvery: 25,
    evaluationWindows: 256,
    patience: 6,
    models: [
      { modelSize: 8, headCount: 2 },
      { modelSize: 16, headCount: 2 },
      { modelSize: 32, headCount: 4 },
    ],
    trainSizes: [2 ** 11, 2 ** 12, 2 ** 13, 2 ** 14, 2 ** 15],
  },
  full: {
    layerCount: 2,
    contextLength: 64,
    batchSize: 32,
    learningRate: 3e-3,
    warmupSteps: 50,
    weightDecay: 0.01,
    maxSteps: 6000,
    evaluateEvery: 50,
    evaluationWindows: 512,
    patience: 6,
    models: [
      { modelSize: 16, headCount: 2 },
      { modelSize: 32, headCount: 4 },
      { modelSize: 64, headCount: 4 },
    ],
    trainSizes: [2 ** 12, 2 ** 13, 2 ** 14, 2 ** 15, 2 ** 16, 2 ** 17],
  },
};

/** The evaluation steps of a run: every `evaluateEvery` steps up to the cap. */
function evaluationSchedule(training: DataScalingTraining): number[] {
  return Array.from(
    { length: Math.floor(training.maxSteps / training.evaluateEvery) },
    (_, index) => (index + 1) * training.evaluateEvery,
  );
}

/** One training-set size of one width. */
export interface DataScalingPoint {
  trainCharacters: number;
  /** Test loss (nats per character) with the weights of the best validation step. */
  testLoss: number;
  bestValidationLoss: number;
  bestStep: number;
  stepsTaken: number;
  /** Whether the run reached the step cap instead of stopping early (it may not have converged). */
  hitCap: boolean;
  /** The validation curve, for the early-stopping panel. */
  evaluationSteps: number[];
  validationLoss: number[];
}

/** One width's curve over training-set sizes, smallest D first. */
export interface DataScalingCurve {
  modelSize: number;
  parameters: number;
  nonEmbeddingParameters: number;
  points: DataScalingPoint[];
}

/** The figure's plain data. */
export interface DataScalingData extends DataScalingTraining {
  /** Smallest width first. */
  curves: DataScalingCurve[];
}

/**
 * The largest rise of test loss from one training-set size to the next, as a share of the curve's
 * range (max - min): negative for a curve that falls at every step, +Infinity for a flat one (no range to
 * compare a rise with).
 * @example
 * ```ts
 * largestRelativeRise([3, 2.5, 2.6, 2]); // 0.1 / 1 = 0.1
 * ```
 */
export function largestRelativeRise(losses: readonly number[]): number {
  const range = Math.max(...losses) - Math.min(...losses);
  let largest = Number.NEGATIVE_INFINITY;
  for (let index = 1; index < losses.length; index++) {
    largest = Math.max(largest, ((losses[index] ?? 0) - (losses[index - 1] ?? 0)) / range);
  }
  return range > 0 ? largest : Number.POSITIVE_INFINITY;
}

/** The power-law fit L(D) = E + A D^-alpha of one width's test losses. */
export function fitDataScaling(curve: DataScalingCurve): PowerLawFit {
  return fitPowerLaw(
    curve.points.map((point) => point.trainCharacters),
    curve.points.map((point) => point.testLoss),
  );
}

/** The data-scaling claim checks of FIGURES.md. */
export function dataScalingClaims(data: DataScalingData): Claim[] {
  const rises = data.curves.map((curve) => largestRelativeRise(curve.points.map((point) => point.testLoss)));
  const largest = data.curves[data.curves.length - 1];
  const fit = largest && largest.points.length >= 3 ? fitDataScaling(largest) : undefined;
  const name = largest ? `d_model ${largest.modelSize}` : 'the largest model';
  return [
    checkClaim({
      id: 'loss-falls-with-data',
      statement: `For every width, test loss falls at each larger training set, up to ${100 * RISE_TOLERANCE}% of the curve's range (value: largest rise over all widths, as a share of its curve's range)`,
      value: Math.max(...rises),
      comparison: '<=',
      threshold: RISE_TOLERANCE,
    }),
    checkClaim({
      id: 'power-law-fit',
      statement: `The power law L(D) = E + A D^-alpha fits the test losses of ${name} (value: R^2)`,
      value: fit?.rSquared ?? Number.NaN,
      comparison: '>=',
      threshold: 0.95,
    }),
    checkClaim({
      id: 'positive-exponent',
      statement: `The fitted exponent alpha of ${name} is positive: more data, lower loss (value: alpha)`,
      value: fit?.exponent ?? Number.NaN,
      comparison: '>',
      threshold: 0,
    }),
  ];
}

function thousands(count: number): string {
  return `${Number((count / 1000).toFixed(1))}k`;
}

/** The runs that hit the step cap, as `d32 at D = 32768` in the caption's language. */
function cappedRuns(data: DataScalingData, lang: 'en' | 'zh'): string[] {
  return data.curves.flatMap((curve) =>
    curve.points
      .filter((point) => point.hitCap)
      .map((point) =>
        lang === 'en'
          ? `d${curve.modelSize} at D = ${point.trainCharacters}`
          : `d${curve.modelSize}（D = ${point.trainCharacters}）`,
      ),
  );
}

/** The `data-scaling` figure. */
export const dataScaling: FigureDefinition<DataScalingData> = {
  id: 'data-scaling',
  title: {
    en: 'Data scaling: test loss falls as a power law of the training-set size',
    zh: '数据规模：测试损失随训练集大小按幂律下降',
  },
  section: sections.data,
  anchor:
    'Kaplan et al. 2020 (Scaling Laws for Neural Language Models): early-stopped test loss L(D) ~ D^-0.095; Hestness et al. 2017: power-law learning curves across domains',
  sweep(preset, seed): FigureRun[] {
    const { models, trainSizes, evaluateEvery: _every, ...training } = setups[preset];
    const evaluateAt = evaluationSchedule(setups[preset]);
    // Widest model and largest training set first: the pool takes runs in order, so the longest start at once.
    const widestFirst = [...models].sort((left, right) => right.modelSize - left.modelSize);
    const largestFirst = [...trainSizes].sort((left, right) => right - left);
    return widestFirst.flatMap((model) =>
      largestFirst.map(
        (trainCharacters): FigureRun => ({
          task: runsModuleUrl,
          exportName: 'characterLanguageModelRun',
          seed,
          config: {
            ...training,
            ...model,
            trainCharacters,
            evaluateAt,
          } satisfies CharacterLanguageModelConfig,
        }),
      ),
    );
  },
  assemble(results, preset): DataScalingData {
    const { models, trainSizes: _sizes, ...training } = setups[preset];
    const runs = results.map((entry) => entry.result as CharacterLanguageModelResult);
    const curves = [...models]
      .sort((left, right) => left.modelSize - right.modelSize)
      .map(({ modelSize }) => {
        const own = runs
          .filter((run) => run.modelSize === modelSize)
          .sort((left, right) => left.trainCharacters - right.trainCharacters);
        return {
          modelSize,
          parameters: own[0]?.parameters ?? 0,
          nonEmbeddingParameters: own[0]?.nonEmbeddingParameters ?? 0,
          points: own.map((run) => ({
            trainCharacters: run.trainCharacters,
            testLoss: run.testLoss,
            bestValidationLoss: run.bestValidationLoss,
            bestStep: run.bestStep,
            stepsTaken: run.stepsTaken,
            hitCap: !run.stoppedEarly,
            evaluationSteps: run.evaluationSteps,
            validationLoss: run.validationLoss,
          })),
        };
      });
    return { ...training, curves };
  },
  claims: (data) => dataScalingClaims(data),
  caption(data, lang) {
    const claims = dataScalingClaims(data);
    const largest = data.curves[data.curves.length - 1];
    const fit = largest && largest.points.length >= 3 ? fitDataScaling(largest) : undefined;
    const sizes = largest?.points.map((point) => point.trainCharacters) ?? [];
    const widths = data.curves.map((curve) => curve.modelSize).join(', ');
    const losses = data.curves
      .map(
        (curve) =>
          `d${curve.modelSize}: ${curve.points[0]?.testLoss.toFixed(3)} -> ${curve.points.at(-1)?.testLoss.toFixed(3)}`,
      )
      .join(lang === 'en' ? '; ' : '；');
    const capped = cappedRuns(data, lang);
    const fitText = fit
      ? lang === 'en'
        ? `For d${largest?.modelSize} the fit L(D) = ${fit.offset.toFixed(2)} + ${fit.amplitude.toFixed(2)} D^-${fit.exponent.toFixed(3)} has R^2 = ${fit.rSquared.toFixed(3)} (Kaplan et al.: alpha_D ~ 0.095).`
        : `d${largest?.modelSize} 的拟合 L(D) = ${fit.offset.toFixed(2)} + ${fit.amplitude.toFixed(2)} D^-${fit.exponent.toFixed(3)}，R^2 = ${fit.rSquared.toFixed(3)}（Kaplan 等：alpha_D 约 0.095）。`
      : '';
    const cappedText =
      capped.length === 0
        ? lang === 'en'
          ? ' Every run stopped early, before the step cap.'
          : ' 所有运行都在步数上限前提前停止。'
        : lang === 'en'
          ? ` These runs reached the ${data.maxSteps}-step cap before early stopping, so their loss is set by the cap and not converged: ${capped.join(', ')}.`
          : ` 以下运行在提前停止之前就达到 ${data.maxSteps} 步上限，其损失由步数上限决定、并未收敛：${capped.join('、')}。`;
    const verdict = notHoldingText(claims, lang);
    return lang === 'en'
      ? `Character-level ${data.layerCount}-layer Transformers (d_model ${widths}; context ${data.contextLength}) trained with AdamW (learning rate ${data.learningRate}, batch ${data.batchSize}) on the first D characters of the Brown corpus's training documents, D = ${sizes.map(thousands).join(', ')}, each until validation loss had not improved for ${data.patience * data.evaluateEvery} steps; test loss on held-out documents, in nats per character, falls with D for every width (${losses}). ${fitText}${cappedText}${verdict}`
      : `字符级 ${data.layerCount} 层 Transformer（d_model 为 ${widths}，上下文 ${data.contextLength}），用 AdamW（学习率 ${data.learningRate}，批量 ${data.batchSize}）在 Brown 语料训练文档的前 D 个字符上训练，D = ${sizes.map(thousands).join('、')}，验证损失连续 ${data.patience * data.evaluateEvery} 步不再改善即停止；在留出文档上的测试损失（每字符 nats）对每个宽度都随 D 下降（${losses}）。${fitText}${cappedText}${verdict}`;
  },
  plot(data, lang) {
    const name = (modelSize: number) => ({ en: `d_model ${modelSize}`, zh: `d_model ${modelSize}` });
    // Only the largest width's fit is drawn: it is the one the claims are about.
    const fits = data.curves.slice(-1).flatMap((curve) => {
      if (curve.points.length < 3) return [];
      const fit = fitDataScaling(curve);
      if (!(fit.amplitude > 0)) return [];
      const label = `alpha = ${fit.exponent.toFixed(3)}, R^2 = ${fit.rSquared.toFixed(3)}`;
      return [
        {
          series: name(curve.modelSize),
          coefficient: fit.amplitude,
          exponent: -fit.exponent,
          offset: fit.offset,
          label: { en: label, zh: label },
        },
      ];
    });
    const scaling = powerLawPlot({
      lang,
      title: { en: '(a) test loss vs training characters', zh: '(a) 测试损失与训练字符数' },
      caption: '',
      x: { title: { en: 'training characters D (log)', zh: '训练字符数 D（对数）' } },
      y: { title: { en: 'test loss, nats per character (log)', zh: '测试损失（每字符 nats，对数）' } },
      series: data.curves.map((curve) => ({
        name: name(curve.modelSize),
        points: curve.points.map((point) => ({ x: point.trainCharacters, y: point.testLoss })),
      })),
      fits,
      points: true,
    });
    const largest = data.curves[data.curves.length - 1];
    const stopping = linePlot({
      lang,
      title: {
        en: `(b) validation loss while training, d_model ${largest?.modelSize ?? ''}`,
        zh: `(b) 训练过程中的验证损失，d_model ${largest?.modelSize ?? ''}`,
      },
      caption: '',
      x: { title: { en: 'training step', zh: '训练步数' } },
      y: {
        title: { en: 'validation loss, nats per character (log)', zh: '验证损失（每字符 nats，对数）' },
        scale: 'log',
      },
      series: (largest?.points ?? []).map((point) => ({
        name: {
          en: `D = ${thousands(point.trainCharacters)}${point.hitCap ? ' (cap)' : ''}`,
          zh: `D = ${thousands(point.trainCharacters)}${point.hitCap ? '（上限）' : ''}`,
        },
        points: point.evaluationSteps.map((step, index) => ({
          x: step,
          y: point.validationLoss[index] ?? 0,
        })),
      })),
    });
    return multiPanel({
      lang,
      title: dataScaling.title,
      caption: dataScaling.caption(data, lang),
      panels: [scaling, stopping],
    });
  },
};
