/**
 * `gradient-flow` (§3): the norm of dLoss/dh_t against the distance T - t back from the loss, at
 * initialization, for tanh RNNs whose recurrent matrix has spectral radius 0.9, 1.1 and 3.0, an LSTM and
 * a Transformer (for which the gradient is taken w.r.t. the block input at each position). Through a
 * recurrence the gradient is multiplied by one Jacobian per step, so it shrinks or grows geometrically
 * (Bengio, Simard, Frasconi 1994; Pascanu, Mikolov, Bengio 2013); attention reaches every position in one
 * step. A second panel varies the scale of the RNN's inputs: tanh saturation lowers the slope diag(1 - h²)
 * of each step's Jacobian, so a radius above 1 need not explode.
 */
import { createRandom } from '@emerge/core';
import { createRecurrent, createTransformer } from '@emerge/transformer';
import { linePlot, multiPanel } from '@emerge/viz';
import * as tf from '@tensorflow/tfjs';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun, type Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { sections } from '../sections.js';

/** A model whose gradients are measured: a tanh RNN of a given spectral radius, an LSTM or a Transformer. */
export type GradientFlowModel =
  | { kind: 'rnn'; recurrentScale: number }
  | { kind: 'lstm' }
  | { kind: 'transformer' };

/** The setup of one preset. */
interface GradientFlowSetup {
  /** Sequence length T (the loss is on the last output). */
  length: number;
  /** Sequences per initialization. */
  batchSize: number;
  /** Initializations averaged (geometric mean). */
  initializations: number;
  /** Hidden width of the RNNs and the LSTM. */
  hiddenSize: number;
  /** Width of the recurrent models' input vectors. */
  inputSize: number;
  /** Transformer width d_model (2 layers, 4 heads). */
  modelSize: number;
  /** Spectral radii of the tanh RNN's recurrent matrix. */
  radii: number[];
  /** Standard deviation of the recurrent models' inputs in panel (a). */
  inputScale: number;
  /** Input standard deviations of panel (b). */
  inputScales: number[];
}

const setups: Record<Preset, GradientFlowSetup> = {
  smoke: {
    length: 12,
    batchSize: 2,
    initializations: 1,
    hiddenSize: 8,
    inputSize: 4,
    modelSize: 8,
    radii: [0.9, 3],
    inputScale: 1,
    inputScales: [0.1, 1],
  },
  quick: {
    length: 100,
    batchSize: 16,
    initializations: 4,
    hiddenSize: 64,
    inputSize: 32,
    modelSize: 32,
    radii: [0.9, 1.1, 3],
    inputScale: 1,
    inputScales: [0.01, 0.03, 0.1, 0.3, 1, 2],
  },
  full: {
    length: 100,
    batchSize: 64,
    initializations: 16,
    hiddenSize: 64,
    inputSize: 32,
    modelSize: 32,
    radii: [0.9, 1.1, 3],
    inputScale: 1,
    inputScales: [0.01, 0.03, 0.1, 0.3, 1, 2],
  },
};

/** Output classes of the recurrent models and plain tokens of the Transformer. */
const CLASSES = 8;

/** Configuration of {@link gradientFlowRun}. */
export interface GradientFlowRunConfig extends Record<string, unknown> {
  model: GradientFlowModel;
  length: number;
  batchSize: number;
  initializations: number;
  hiddenSize: number;
  inputSize: number;
  modelSize: number;
  inputScale: number;
}

/** What one model's run records. */
export interface GradientFlowResult {
  /**
   * Gradient norm at each position t = 1..T: the mean over sequences of |dLoss/dh_t|, then the
   * geometric mean over initializations; `null` where a value underflowed to 0 or overflowed.
   */
  norms: Array<number | null>;
  /** Whether some gradient overflowed (was not finite). */
  overflowed: boolean;
  /** Whether some gradient underflowed to exactly 0 in float32. */
  underflowed: boolean;
  /** tanh RNN only: the mean slope 1 - h² of the hidden units over sequences, steps and units. */
  tanhSlope?: number;
  parameterCount: number;
}

/**
 * Mean over the batch of the Euclidean norm of each position's gradient: [batch, time, width] → time
 * numbers.
 * @example
 * ```ts
 * positionNorms(tf.tensor3d([[[3, 4]], [[0, 1]]])); // [3] (the mean of 5 and 1)
 * ```
 */
export function positionNorms(gradients: tf.Tensor3D): number[] {
  return tf.tidy(() =>
    Array.from(
      tf
        .sqrt(tf.sum(tf.square(gradients), 2))
        .mean(0)
        .dataSync(),
    ),
  );
}

/**
 * Geometric mean of each position over several rows of values; a position is `null` if any row's
 * value there is 0 or not finite (underflow or overflow), since a geometric mean cannot average those.
 * @example
 * ```ts
 * geometricMeans([[1, 100], [100, 0]]); // [10, null]
 * ```
 */
export function geometricMeans(rows: number[][]): Array<number | null> {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, position) => {
    let logSum = 0;
    for (const row of rows) {
      const value = row[position] ?? Number.NaN;
      if (!(value > 0) || !Number.isFinite(value)) return null;
      logSum += Math.log(value);
    }
    return Math.exp(logSum / rows.length);
  });
}

/**
 * One model's gradient norms through T steps at initialization, averaged over initializations. The
 * recurrent models read N(0, inputScale²) vectors; the Transformer reads random tokens; every model
 * gets a random class as target at the last position only.
 */
export function gradientFlowRun(config: GradientFlowRunConfig, seed: number): GradientFlowResult {
  const { model, length, batchSize, hiddenSize, inputSize, inputScale } = config;
  const perInitialization: number[][] = [];
  const slopes: number[] = [];
  let overflowed = false;
  let underflowed = false;
  let parameterCount = 0;
  for (let initialization = 0; initialization < config.initializations; initialization++) {
    const random = createRandom(seed).fork(`initialization-${initialization}`);
    const modelSeed = random.fork('model').seed;
    const targets = new Int32Array(batchSize * length).fill(-1);
    for (let row = 0; row < batchSize; row++) targets[row * length + length - 1] = random.integer(CLASSES);
    const norms = tf.tidy(() => {
      const target = tf.tensor2d(targets, [batchSize, length], 'int32');
      if (model.kind === 'transformer') {
        const transformer = createTransformer({
          vocabSize: CLASSES,
          contextLength: length,
          modelSize: config.modelSize,
          layerCount: 2,
          headCount: 4,
          seed: modelSeed,
        });
        const tokens = Int32Array.from({ length: batchSize * length }, () => random.integer(CLASSES));
        const gradients = transformer.inputGradients(
          tf.tensor2d(tokens, [batchSize, length], 'int32'),
          target,
        );
        parameterCount = transformer.parameterCount();
        transformer.dispose();
        return positionNorms(gradients);
      }
      const recurrent = createRecurrent({
        cell: model.kind,
        hiddenSize,
        inputSize,
        outputSize: CLASSES,
        ...(model.kind === 'rnn' ? { recurrentScale: model.recurrentScale } : {}),
        seed: modelSeed,
      });
      const values = Float32Array.from(
        { length: batchSize * length * inputSize },
        () => inputScale * random.normal(),
      );
      const inputs = tf.tensor3d(values, [batchSize, length, inputSize]);
      if (model.kind === 'rnn') {
        const hidden = recurrent.hiddenStates(inputs);
        slopes.push(tf.sub(1, tf.square(hidden)).mean().dataSync()[0] as number);
      }
      const gradients = recurrent.hiddenStateGradients(inputs, target);
      parameterCount = recurrent.parameterCount();
      recurrent.dispose();
      return positionNorms(gradients);
    });
    overflowed ||= norms.some((value) => !Number.isFinite(value));
    underflowed ||= norms.some((value) => value === 0);
    perInitialization.push(norms);
  }
  const result: GradientFlowResult = {
    norms: geometricMeans(perInitialization),
    overflowed,
    underflowed,
    parameterCount,
  };
  if (slopes.length > 0) result.tanhSlope = slopes.reduce((sum, value) => sum + value, 0) / slopes.length;
  return result;
}

/** One curve of the figure's data. */
export interface GradientFlowCurve extends GradientFlowResult {
  model: GradientFlowModel;
  inputScale: number;
}

/** The figure's plain data. */
export interface GradientFlowData {
  length: number;
  inputScale: number;
  /** Panel (a): every model at the main input scale. */
  curves: GradientFlowCurve[];
  /** Panel (b): the tanh RNNs at every input scale. */
  scaleCurves: GradientFlowCurve[];
}

/**
 * |g_from| / |g_to| (1-based positions) of a curve: `Infinity` if it overflowed, `0` if the numerator
 * underflowed, `NaN` if the denominator is missing.
 */
export function gradientRatio(curve: GradientFlowResult, from: number, to: number): number {
  const numerator = curve.norms[from - 1];
  const denominator = curve.norms[to - 1];
  if (curve.overflowed && (numerator === null || numerator === undefined)) return Number.POSITIVE_INFINITY;
  if (denominator === null || denominator === undefined) return Number.NaN;
  if (numerator === null || numerator === undefined) return curve.underflowed ? 0 : Number.NaN;
  return numerator / denominator;
}

function findRnn(curves: GradientFlowCurve[], radius: number): GradientFlowCurve | undefined {
  return curves.find((curve) => curve.model.kind === 'rnn' && curve.model.recurrentScale === radius);
}

/** The claim checks of FIGURES.md. */
export function gradientFlowClaims(data: GradientFlowData): Claim[] {
  const { length } = data;
  const contracting = findRnn(data.curves, 0.9);
  const exploding = findRnn(data.curves, 3);
  const transformer = data.curves.find((curve) => curve.model.kind === 'transformer');
  const contractingRatio = contracting ? gradientRatio(contracting, 1, length) : Number.NaN;
  const explodingRatio = exploding ? gradientRatio(exploding, 1, length) : Number.NaN;
  const transformerRatio = transformer ? gradientRatio(transformer, 1, length - 1) : Number.NaN;
  return [
    checkClaim({
      id: 'contracting-vanishes',
      statement: `The radius-0.9 tanh RNN's gradient vanishes: |g_1| / |g_T| with T = ${length} (0 means it underflowed)`,
      value: contractingRatio,
      comparison: '<',
      threshold: 1e-3,
    }),
    checkClaim({
      id: 'expanding-explodes',
      statement: `The radius-3.0 tanh RNN's gradient explodes: |g_1| / |g_T| with T = ${length} (an overflow is reported as ${Number.MAX_VALUE})`,
      value: explodingRatio === Number.POSITIVE_INFINITY ? Number.MAX_VALUE : explodingRatio,
      comparison: '>',
      threshold: 1e3,
    }),
    checkClaim({
      id: 'transformer-flat',
      statement: `The Transformer's gradient reaches the first position undiminished: |g_1| / |g_(T-1)| in [0.1, 10] (value: |log10 of the ratio|)`,
      value: Math.abs(Math.log10(transformerRatio)),
      comparison: '<=',
      threshold: 1,
      thresholdText: '<= 1 (ratio in [0.1, 10])',
    }),
  ];
}

function modelName(model: GradientFlowModel): { en: string; zh: string } {
  if (model.kind === 'rnn') {
    return { en: `tanh RNN, radius ${model.recurrentScale}`, zh: `tanh RNN，谱半径 ${model.recurrentScale}` };
  }
  return model.kind === 'lstm' ? { en: 'LSTM', zh: 'LSTM' } : { en: 'Transformer', zh: 'Transformer' };
}

/** A ratio in short form: plain between 0.01 and 100, else like `2e-9`; 0 is an underflow, ∞ an overflow. */
export function shortRatio(value: number): string {
  if (value === 0) return '0 (underflow)';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '?' : '∞ (overflow)';
  if (value >= 0.01 && value < 100) return String(Number(value.toPrecision(2)));
  return value.toExponential(0).replace('e+', 'e');
}

/** The recurrent models' setup shared by every run of a preset. */
function runConfig(
  setup: GradientFlowSetup,
  model: GradientFlowModel,
  inputScale: number,
): GradientFlowRunConfig {
  return {
    model,
    length: setup.length,
    batchSize: setup.batchSize,
    initializations: setup.initializations,
    hiddenSize: setup.hiddenSize,
    inputSize: setup.inputSize,
    modelSize: setup.modelSize,
    inputScale,
  };
}

function mainModels(setup: GradientFlowSetup): GradientFlowModel[] {
  return [
    ...setup.radii.map((recurrentScale): GradientFlowModel => ({ kind: 'rnn', recurrentScale })),
    { kind: 'lstm' },
    { kind: 'transformer' },
  ];
}

/** The radii and input scales of panel (b) other than the main input scale (already in panel (a)). */
function scaleRuns(setup: GradientFlowSetup): Array<{ radius: number; inputScale: number }> {
  return setup.radii.flatMap((radius) =>
    setup.inputScales
      .filter((inputScale) => inputScale !== setup.inputScale)
      .map((inputScale) => ({ radius, inputScale })),
  );
}

/** The `gradient-flow` figure. */
export const gradientFlow: FigureDefinition<GradientFlowData> = {
  id: 'gradient-flow',
  title: {
    en: 'Vanishing and exploding gradients through time',
    zh: '随时间消失与爆炸的梯度',
  },
  section: sections.architecture,
  anchor:
    'Pascanu, Mikolov, Bengio 2013 (On the difficulty of training recurrent neural networks); Bengio, Simard, Frasconi 1994',
  sweep(preset, seed): FigureRun[] {
    const setup = setups[preset];
    const main = mainModels(setup).map(
      (model): FigureRun => ({
        task: runsModuleUrl,
        exportName: 'gradientFlowRun',
        seed,
        config: runConfig(setup, model, setup.inputScale),
      }),
    );
    const scaled = scaleRuns(setup).map(
      ({ radius, inputScale }): FigureRun => ({
        task: runsModuleUrl,
        exportName: 'gradientFlowRun',
        seed,
        config: runConfig(setup, { kind: 'rnn', recurrentScale: radius }, inputScale),
      }),
    );
    return [...main, ...scaled];
  },
  assemble(results, preset): GradientFlowData {
    const setup = setups[preset];
    const curves = results.map((entry) => {
      const config = entry.run.config as GradientFlowRunConfig;
      return {
        model: config.model,
        inputScale: config.inputScale,
        ...(entry.result as GradientFlowResult),
      };
    });
    const mainCount = mainModels(setup).length;
    const main = curves.slice(0, mainCount);
    const scaleCurves = [
      ...curves.slice(mainCount),
      ...main.filter((curve) => curve.model.kind === 'rnn'),
    ].sort(
      (a, b) =>
        (a.model.kind === 'rnn' ? a.model.recurrentScale : 0) -
          (b.model.kind === 'rnn' ? b.model.recurrentScale : 0) || a.inputScale - b.inputScale,
    );
    return { length: setup.length, inputScale: setup.inputScale, curves: main, scaleCurves };
  },
  claims: (data) => gradientFlowClaims(data),
  caption(data, lang) {
    const { length } = data;
    const transformer = data.curves.find((curve) => curve.model.kind === 'transformer');
    const lstm = data.curves.find((curve) => curve.model.kind === 'lstm');
    const rnns = data.curves.filter((curve) => curve.model.kind === 'rnn');
    const rnnText = rnns
      .map((curve) => {
        const radius = curve.model.kind === 'rnn' ? curve.model.recurrentScale : 0;
        const slope = curve.tanhSlope === undefined ? '' : curve.tanhSlope.toFixed(2);
        return lang === 'en'
          ? `${shortRatio(gradientRatio(curve, 1, length))} at radius ${radius} (mean tanh slope ${slope})`
          : `谱半径 ${radius} 时为 ${shortRatio(gradientRatio(curve, 1, length))}（tanh 平均斜率 ${slope}）`;
      })
      .join(lang === 'en' ? '; ' : '；');
    const transformerRatio = transformer ? shortRatio(gradientRatio(transformer, 1, length - 1)) : '?';
    const lstmRatio = lstm ? gradientRatio(lstm, 1, length) : Number.NaN;
    // The farthest distance T - t whose norm is still a positive float32 number.
    const lstmReach = lstm ? length - 1 - lstm.norms.findIndex((norm) => norm !== null) : 0;
    const lstmText =
      lstmRatio === 0
        ? lang === 'en'
          ? `beyond distance ${lstmReach} its gradient underflows to 0 in float32`
          : `距离超过 ${lstmReach} 后其梯度在 float32 中下溢为 0`
        : `|g_1| / |g_T| = ${shortRatio(lstmRatio)}`;
    const smallestScale = Math.min(...data.scaleCurves.map((curve) => curve.inputScale));
    const small = findRnn(
      data.scaleCurves.filter((curve) => curve.inputScale === smallestScale),
      1.1,
    );
    const smallText = small
      ? lang === 'en'
        ? ` With inputs of standard deviation ${small.inputScale} the same radius-1.1 network stays near the linear regime (mean slope ${small.tanhSlope?.toFixed(2)}) and its ratio is ${shortRatio(gradientRatio(small, 1, length))}.`
        : `输入标准差为 ${small.inputScale} 时，同一谱半径 1.1 的网络接近线性区（平均斜率 ${small.tanhSlope?.toFixed(2)}），比值为 ${shortRatio(gradientRatio(small, 1, length))}。`
      : '';
    return lang === 'en'
      ? `Gradient norm |dLoss/dh_t| at initialization against the distance T - t from the loss on the last output (T = ${length}; averaged over initializations). Through a recurrence the gradient is multiplied by one Jacobian diag(1 - h²)·W per step, so it shrinks or grows geometrically: |g_1| / |g_T| = ${rnnText}. The radius-1.1 RNN vanishes rather than explodes because its unit-scale inputs drive the tanh units into saturation, where the slope 1 - h² is below 1, so each step's Jacobian contracts although W alone would expand.${smallText} The LSTM at initialization (forget gates near 0.5) also vanishes: ${lstmText}. Points that underflowed to 0 in float32 are not drawn. The Transformer's gradient w.r.t. the input at each position is flat: attention reaches every position in one step (|g_1| / |g_(T-1)| = ${transformerRatio}; the last position also gets the direct residual path).`
      : `初始化时梯度范数 |dLoss/dh_t| 随距离 T - t 的变化（损失在最后一个输出上，T = ${length}，对多次初始化取平均）。循环网络每一步都把梯度乘以一个雅可比矩阵 diag(1 - h²)·W，所以梯度按几何级数缩小或增大：|g_1| / |g_T| 在${rnnText}。谱半径 1.1 的 RNN 梯度消失而非爆炸：单位尺度的输入把 tanh 单元推入饱和区，斜率 1 - h² 小于 1，尽管 W 本身是扩张的，每一步的雅可比仍是收缩的。${smallText}初始化时的 LSTM（遗忘门约 0.5）梯度同样消失：${lstmText}。在 float32 中下溢为 0 的点未画出。Transformer 对各位置输入的梯度是平的：注意力一步即可到达任何位置（|g_1| / |g_(T-1)| = ${transformerRatio}；最后一个位置另有残差直连）。`;
  },
  plot(data, lang) {
    const { length } = data;
    const distancePanel = linePlot({
      lang,
      title: { en: '(a) gradient norm vs distance', zh: '(a) 梯度范数随距离的变化' },
      caption: '',
      x: { title: { en: 'distance from the loss T - t', zh: '到损失的距离 T - t' } },
      y: {
        title: { en: '|dLoss/dh_t| (log scale)', zh: '|dLoss/dh_t|（对数坐标）' },
        scale: 'log',
        format: '.0e',
      },
      series: data.curves
        .map((curve) => ({
          name: modelName(curve.model),
          points: curve.norms.flatMap((norm, index) =>
            norm === null ? [] : [{ x: length - 1 - index, y: norm }],
          ),
        }))
        .filter((series) => series.points.length > 0),
    });
    const radii = [
      ...new Set(
        data.scaleCurves.map((curve) => (curve.model.kind === 'rnn' ? curve.model.recurrentScale : 0)),
      ),
    ];
    const scalePanel = linePlot({
      lang,
      title: { en: '(b) tanh RNN: input scale decides', zh: '(b) tanh RNN：输入尺度决定结果' },
      caption: '',
      x: { title: { en: 'input standard deviation', zh: '输入标准差' }, scale: 'log' },
      y: {
        title: {
          en: `|g_1| / |g_T| (T = ${length}, log scale)`,
          zh: `|g_1| / |g_T|（T = ${length}，对数坐标）`,
        },
        scale: 'log',
        format: '.0e',
      },
      series: radii
        .map((radius) => ({
          name: { en: `radius ${radius}`, zh: `谱半径 ${radius}` },
          points: data.scaleCurves
            .filter((curve) => findRnn([curve], radius))
            .flatMap((curve) => {
              const ratio = gradientRatio(curve, 1, length);
              return ratio > 0 && Number.isFinite(ratio) ? [{ x: curve.inputScale, y: ratio }] : [];
            }),
        }))
        .filter((series) => series.points.length > 0),
      points: true,
      annotations: [{ kind: 'rule', y: 1, label: { en: 'no decay', zh: '不衰减' } }],
    });
    return multiPanel({
      lang,
      title: gradientFlow.title,
      caption: gradientFlow.caption(data, lang),
      panels: [distancePanel, scalePanel],
    });
  },
};
