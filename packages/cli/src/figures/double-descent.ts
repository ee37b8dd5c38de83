/**
 * `double-descent` (§4): test error of random Fourier features with the minimum-norm least-squares fit
 * on MNIST, against the number of features N. The error peaks where N equals the number of training
 * examples n (the interpolation threshold) and falls again beyond it (Belkin, Hsu, Ma, Mandal 2019). A
 * second panel checks the float64 solver against the closed-form risk of least squares with p of d
 * Gaussian features (Breiman & Freedman 1983; Belkin, Hsu, Xu 2020, Thm. 1).
 */
import { applyLabelNoise, createRandom, loadMnist, oneHot, splitMnist } from '@emerge/core';
import { leastSquaresRisk, minNormLeastSquares, minNormLeastSquaresPrefixes } from '@emerge/optim';
import { createRandomFeatures } from '@emerge/transformer';
import { linePlot, multiPanel } from '@emerge/viz';
import * as tf from '@tensorflow/tfjs';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun, type Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { sections } from '../sections.js';

const CLASSES = 10;

/** The setup of one preset. */
interface DoubleDescentSetup {
  /** Training digits n (balanced). */
  trainSize: number;
  /** Test digits. */
  testSize: number;
  /** Grid points on each side of N = n; the grid has 2 * halfGrid + 1 log-spaced points from n/20 to 20n. */
  halfGrid: number;
  /** Share of training labels moved to another class, one curve each. */
  noiseRates: number[];
  /** Standard deviation of the entries of W in cos(Wx + b), on pixels in [0, 1]. */
  weightStd: number;
  /** The linear-regression panel: d features, n samples, p values, noise variance and trials per p. */
  regression: { features: number; samples: number; chosen: number[]; noiseVariance: number; trials: number };
}

const regressionChosen = [2, 5, 10, 15, 20, 25, 30, 35, 38, 42, 45, 50, 55, 60, 70, 80, 90, 100];

const setups: Record<Preset, DoubleDescentSetup> = {
  smoke: {
    trainSize: 60,
    testSize: 100,
    halfGrid: 2,
    noiseRates: [0, 0.2],
    weightStd: 0.2,
    regression: { features: 30, samples: 12, chosen: [3, 6, 18, 30], noiseVariance: 1 / 25, trials: 50 },
  },
  quick: {
    trainSize: 500,
    testSize: 2000,
    halfGrid: 7,
    noiseRates: [0, 0.1, 0.2],
    weightStd: 0.2,
    regression: { features: 100, samples: 40, chosen: regressionChosen, noiseVariance: 1 / 25, trials: 2000 },
  },
  full: {
    trainSize: 1000,
    testSize: 2000,
    halfGrid: 10,
    noiseRates: [0, 0.1, 0.2],
    weightStd: 0.2,
    regression: {
      features: 100,
      samples: 40,
      chosen: regressionChosen,
      noiseVariance: 1 / 25,
      trials: 10000,
    },
  },
};

/** An odd number of log-spaced feature counts from n/20 to 20n with N = n in the middle. */
export function featureGrid(trainSize: number, halfGrid: number): number[] {
  const grid: number[] = [];
  for (let step = -halfGrid; step <= halfGrid; step++) {
    const count = Math.max(1, Math.round(trainSize * 20 ** (step / halfGrid)));
    if (count > (grid[grid.length - 1] ?? 0)) grid.push(count);
  }
  return grid;
}

/** Configuration of {@link randomFeaturesRun}. */
export interface RandomFeaturesRunConfig extends Record<string, unknown> {
  trainSize: number;
  testSize: number;
  featureCounts: number[];
  noiseRates: number[];
  weightStd: number;
}

/** Errors of the fit with N features, one entry per noise rate. */
export interface RandomFeaturesPoint {
  features: number;
  trainError: number[];
  testError: number[];
  /** Numerical rank of the N-feature training design. */
  rank: number;
}

/** Copies a float32 tensor's values into a float64 array (the solver works in float64). */
async function toFloat64(tensor: tf.Tensor): Promise<Float64Array> {
  return Float64Array.from(await tensor.data());
}

/** Share of rows whose argmax over the predicted class scores differs from the label. */
function classificationError(
  features: Float32Array | Float64Array,
  rows: number,
  stride: number,
  width: number,
  weights: Float64Array,
  targetCount: number,
  targetOffset: number,
  labels: Uint8Array,
): number {
  let wrong = 0;
  const scores = new Float64Array(CLASSES);
  for (let row = 0; row < rows; row++) {
    scores.fill(0);
    const rowStart = row * stride;
    for (let column = 0; column < width; column++) {
      const value = features[rowStart + column] ?? 0;
      const weightStart = column * targetCount + targetOffset;
      for (let label = 0; label < CLASSES; label++) {
        scores[label] = (scores[label] ?? 0) + value * (weights[weightStart + label] ?? 0);
      }
    }
    let best = 0;
    for (let label = 1; label < CLASSES; label++)
      if ((scores[label] ?? 0) > (scores[best] ?? 0)) best = label;
    if (best !== labels[row]) wrong++;
  }
  return wrong / rows;
}

/**
 * One seed of the random-features sweep: one draw of W and b serves every N (nested features), and
 * every noise rate is solved as extra right-hand sides of the same least-squares problem.
 */
export async function randomFeaturesRun(
  config: RandomFeaturesRunConfig,
  seed: number,
): Promise<{ points: RandomFeaturesPoint[] }> {
  const { trainSize, testSize, featureCounts, noiseRates, weightStd } = config;
  const widest = featureCounts[featureCounts.length - 1] ?? 1;
  const { train, test } = splitMnist(await loadMnist(), { trainSize, testSize, seed, balanced: true });
  const noisyLabels = noiseRates.map(
    (rate, index) =>
      applyLabelNoise(train.labels, {
        rate,
        classes: CLASSES,
        seed: createRandom(seed).fork(`noise-${index}`).seed,
      }).labels,
  );
  // Targets: one one-hot block of 10 columns per noise rate, side by side.
  const targetCount = CLASSES * noiseRates.length;
  const targets = new Float64Array(trainSize * targetCount);
  noisyLabels.forEach((labels, block) => {
    const encoded = oneHot(labels, CLASSES);
    for (let row = 0; row < trainSize; row++) {
      for (let label = 0; label < CLASSES; label++) {
        targets[row * targetCount + block * CLASSES + label] = encoded[row * CLASSES + label] ?? 0;
      }
    }
  });

  const randomFeatures = createRandomFeatures({
    kind: 'fourier',
    inputSize: 784,
    featureCount: widest,
    weightStd,
    seed: createRandom(seed).fork('features').seed,
  });
  const trainInput = tf.tensor2d(train.images, [trainSize, 784]);
  const testInput = tf.tensor2d(test.images, [testSize, 784]);
  const trainFeaturesTensor = randomFeatures.transform(trainInput);
  const testFeaturesTensor = randomFeatures.transform(testInput);
  const trainFeatures = await toFloat64(trainFeaturesTensor);
  const testFeatures = (await testFeaturesTensor.data()) as Float32Array;
  tf.dispose([trainInput, testInput, trainFeaturesTensor, testFeaturesTensor]);
  randomFeatures.dispose();

  const solutions = minNormLeastSquaresPrefixes(
    trainFeatures,
    trainSize,
    widest,
    targets,
    targetCount,
    featureCounts,
  );
  const points = featureCounts.map((features, index) => {
    const solution = solutions[index]!;
    return {
      features,
      rank: solution.rank,
      trainError: noisyLabels.map((labels, block) =>
        classificationError(
          trainFeatures,
          trainSize,
          widest,
          features,
          solution.weights,
          targetCount,
          block * CLASSES,
          labels,
        ),
      ),
      testError: noisyLabels.map((_, block) =>
        classificationError(
          testFeatures,
          testSize,
          widest,
          features,
          solution.weights,
          targetCount,
          block * CLASSES,
          test.labels,
        ),
      ),
    };
  });
  return { points };
}

/** Configuration of {@link regressionRiskRun}. */
export interface RegressionRiskRunConfig extends Record<string, unknown> {
  features: number;
  samples: number;
  chosen: number;
  noiseVariance: number;
  trials: number;
}

/**
 * Monte Carlo risk of min-norm least squares with the first p of d standard Gaussian features and
 * beta spread evenly (|beta|^2 = 1). For a fresh isotropic x the risk given the fit is exactly
 * |w - beta|^2 + sigma^2, so no test sample is needed.
 */
export function regressionRiskRun(
  config: RegressionRiskRunConfig,
  seed: number,
): { simulated: number; closedForm: number } {
  const { features, samples, chosen, noiseVariance, trials } = config;
  const random = createRandom(seed).fork(`regression-${chosen}`);
  const coefficient = 1 / Math.sqrt(features);
  const noiseStd = Math.sqrt(noiseVariance);
  const design = new Float64Array(samples * chosen);
  const targets = new Float64Array(samples);
  let riskSum = 0;
  for (let trial = 0; trial < trials; trial++) {
    for (let row = 0; row < samples; row++) {
      let response = noiseStd * random.normal();
      for (let column = 0; column < features; column++) {
        const value = random.normal();
        response += coefficient * value;
        if (column < chosen) design[row * chosen + column] = value;
      }
      targets[row] = response;
    }
    const { weights } = minNormLeastSquares(design, samples, chosen, targets, 1);
    let error = (features - chosen) * coefficient * coefficient;
    for (let column = 0; column < chosen; column++) error += ((weights[column] ?? 0) - coefficient) ** 2;
    riskSum += error + noiseVariance;
  }
  const closedForm = leastSquaresRisk({
    features,
    samples,
    chosen,
    noiseVariance,
    signalNormChosen: chosen / features,
    signalNormRest: (features - chosen) / features,
  });
  return { simulated: riskSum / trials, closedForm };
}

/** The figure's plain data. */
export interface DoubleDescentData {
  trainSize: number;
  testSize: number;
  noiseRates: number[];
  points: RandomFeaturesPoint[];
  regression: {
    features: number;
    samples: number;
    trials: number;
    points: Array<{ chosen: number; simulated: number; closedForm: number }>;
  };
}

/** Index of the largest test error of one noise curve. */
function peakIndex(errors: number[]): number {
  let best = 0;
  errors.forEach((error, index) => {
    if (error > (errors[best] ?? Number.NEGATIVE_INFINITY)) best = index;
  });
  return best;
}

/** The double-descent claim checks of FIGURES.md, each taken over every noise level (worst case). */
export function doubleDescentClaims(data: DoubleDescentData): Claim[] {
  const n = data.trainSize;
  const curves = data.noiseRates.map((_, level) =>
    data.points.map((point) => point.testError[level] ?? Number.NaN),
  );
  let worstPeakOffset = 0;
  let worstPeakRatio = Number.POSITIVE_INFINITY;
  let worstOverMinusUnder = Number.NEGATIVE_INFINITY;
  for (const errors of curves) {
    const peak = peakIndex(errors);
    const peakFeatures = data.points[peak]?.features ?? Number.NaN;
    worstPeakOffset = Math.max(worstPeakOffset, Math.abs(Math.log2(peakFeatures / n)));
    const left = errors.slice(0, peak);
    const right = errors.slice(peak + 1);
    const ratio =
      left.length === 0 || right.length === 0
        ? 0
        : (errors[peak] ?? 0) / Math.max(Math.min(...left), Math.min(...right));
    worstPeakRatio = Math.min(worstPeakRatio, ratio);
    const under = errors.filter((_, index) => (data.points[index]?.features ?? 0) < n);
    const over = errors.filter((_, index) => (data.points[index]?.features ?? 0) > n);
    worstOverMinusUnder = Math.max(worstOverMinusUnder, Math.min(...over) - Math.min(...under));
  }
  const trainErrorBeyond = Math.max(
    ...data.points.filter((point) => point.features >= n).flatMap((point) => point.trainError),
  );
  const checked = data.regression.points.filter(
    (point) => Math.abs(point.chosen - data.regression.samples) >= 5,
  );
  const worstRelativeError = Math.max(
    ...checked.map((point) => Math.abs(point.simulated - point.closedForm) / point.closedForm),
  );
  return [
    checkClaim({
      id: 'peak-at-threshold',
      statement:
        'For every noise level the test-error peak lies in [0.5n, 2n] (value: largest |log2(N_peak / n)|)',
      value: worstPeakOffset,
      comparison: '<=',
      threshold: 1,
    }),
    checkClaim({
      id: 'peak-height',
      statement:
        'For every noise level the peak is at least 1.5x the minimum on each side (value: smallest ratio)',
      value: worstPeakRatio,
      comparison: '>=',
      threshold: 1.5,
    }),
    checkClaim({
      id: 'interpolation',
      statement: 'Training error is at most 1% for every N >= n (value: largest training error)',
      value: trainErrorBeyond,
      comparison: '<=',
      threshold: 0.01,
    }),
    checkClaim({
      id: 'second-descent-wins',
      statement:
        'The best over-parameterized test error is at most the best under-parameterized one (value: largest difference over noise levels)',
      value: worstOverMinusUnder,
      comparison: '<=',
      threshold: 0,
    }),
    checkClaim({
      id: 'closed-form-risk',
      statement: `Simulated least-squares risk matches the closed form within 10% for |p - n| >= 5 (value: largest relative error, ${data.regression.trials} trials per p)`,
      value: worstRelativeError,
      comparison: '<=',
      threshold: 0.1,
    }),
  ];
}

function percent(value: number): string {
  return `${Number((100 * value).toFixed(1))}%`;
}

/** The `double-descent` figure. */
export const doubleDescent: FigureDefinition<DoubleDescentData> = {
  id: 'double-descent',
  title: {
    en: 'Double descent: test error vs number of random features',
    zh: '双下降：测试误差随随机特征数量的变化',
  },
  section: sections.overParameterization,
  anchor:
    'Belkin, Hsu, Ma, Mandal 2019 (PNAS): random Fourier features on MNIST, test error peaks at N = n and falls again beyond it',
  sweep(preset, seed): FigureRun[] {
    const setup = setups[preset];
    const task = runsModuleUrl;
    const features: FigureRun = {
      task,
      exportName: 'randomFeaturesRun',
      seed,
      config: {
        trainSize: setup.trainSize,
        testSize: setup.testSize,
        featureCounts: featureGrid(setup.trainSize, setup.halfGrid),
        noiseRates: setup.noiseRates,
        weightStd: setup.weightStd,
      } satisfies RandomFeaturesRunConfig,
    };
    const { chosen, ...regression } = setup.regression;
    const risks = chosen.map(
      (count): FigureRun => ({
        task,
        exportName: 'regressionRiskRun',
        seed,
        config: { ...regression, chosen: count } satisfies RegressionRiskRunConfig,
      }),
    );
    return [features, ...risks];
  },
  assemble(results, preset): DoubleDescentData {
    const setup = setups[preset];
    const [features, ...risks] = results;
    if (!features) throw new Error('double-descent: the sweep returned no random-features run');
    return {
      trainSize: setup.trainSize,
      testSize: setup.testSize,
      noiseRates: setup.noiseRates,
      points: (features.result as { points: RandomFeaturesPoint[] }).points,
      regression: {
        features: setup.regression.features,
        samples: setup.regression.samples,
        trials: setup.regression.trials,
        points: risks.map((entry) => ({
          chosen: (entry.run.config as RegressionRiskRunConfig).chosen,
          ...(entry.result as { simulated: number; closedForm: number }),
        })),
      },
    };
  },
  claims: (data) => doubleDescentClaims(data),
  caption(data, lang) {
    const n = data.trainSize;
    const peaks = data.noiseRates.map((rate, level) => {
      const errors = data.points.map((point) => point.testError[level] ?? 0);
      const peak = data.points[peakIndex(errors)];
      return { rate, features: peak?.features ?? 0, error: peak?.testError[level] ?? 0 };
    });
    const peakText = peaks
      .map((peak) =>
        lang === 'en'
          ? `${percent(peak.rate)} noise: peak ${percent(peak.error)} at N = ${peak.features}`
          : `${percent(peak.rate)} 噪声：峰值 ${percent(peak.error)}，N = ${peak.features}`,
      )
      .join(lang === 'en' ? '; ' : '；');
    return lang === 'en'
      ? `Minimum-norm least squares on random Fourier features cos(Wx + b) of n = ${n} MNIST digits (${data.testSize} test digits). The test error rises as N approaches n, where the model just interpolates the training labels, and falls again as N grows past it (${peakText}). Right: the same solver against the closed-form risk of least squares with p of d = ${data.regression.features} Gaussian features, n = ${data.regression.samples}.`
      : `在 n = ${n} 个 MNIST 数字上用随机傅里叶特征 cos(Wx + b) 做最小范数最小二乘（测试集 ${data.testSize} 个）。特征数 N 接近 n 时模型恰好插值训练标签，测试误差上升；N 继续增大，误差再次下降（${peakText}）。右图：同一求解器与 d = ${data.regression.features} 个高斯特征中取 p 个、n = ${data.regression.samples} 的最小二乘闭式风险对照。`;
  },
  plot(data, lang) {
    const n = data.trainSize;
    const noiseName = (rate: number) =>
      lang === 'en' ? `${percent(rate)} label noise` : `${percent(rate)} 标签噪声`;
    const threshold = { kind: 'rule' as const, x: n, label: { en: 'N = n', zh: 'N = n' } };
    const featuresAxis = { title: { en: 'random features N', zh: '随机特征数 N' }, scale: 'log' as const };
    const testPanel = linePlot({
      lang,
      title: { en: '(a) test error', zh: '(a) 测试误差' },
      caption: '',
      x: featuresAxis,
      y: { title: { en: 'test error (share misclassified)', zh: '测试误差（错分比例）' }, format: '.0%' },
      series: data.noiseRates.map((rate, level) => ({
        name: noiseName(rate),
        points: data.points.map((point) => ({ x: point.features, y: point.testError[level] ?? 0 })),
      })),
      points: true,
      annotations: [threshold],
    });
    const trainPanel = linePlot({
      lang,
      title: { en: '(b) training error', zh: '(b) 训练误差' },
      caption: '',
      x: featuresAxis,
      y: { title: { en: 'training error (share misclassified)', zh: '训练误差（错分比例）' }, format: '.0%' },
      series: data.noiseRates.map((rate, level) => ({
        name: noiseName(rate),
        points: data.points.map((point) => ({ x: point.features, y: point.trainError[level] ?? 0 })),
      })),
      points: true,
      annotations: [threshold],
    });
    const regressionPanel = linePlot({
      lang,
      title: { en: '(c) least squares: simulation vs closed form', zh: '(c) 最小二乘：模拟与闭式解' },
      caption: '',
      x: { title: { en: 'features used p', zh: '使用的特征数 p' } },
      y: { title: { en: 'test risk (squared error)', zh: '测试风险（平方误差）' }, scale: 'log' },
      series: [
        {
          name: { en: 'closed form', zh: '闭式解' },
          points: data.regression.points.map((point) => ({ x: point.chosen, y: point.closedForm })),
        },
        {
          name: {
            en: `simulated (${data.regression.trials} trials)`,
            zh: `模拟（${data.regression.trials} 次）`,
          },
          points: data.regression.points.map((point) => ({ x: point.chosen, y: point.simulated })),
        },
      ],
      points: true,
      annotations: [{ kind: 'rule', x: data.regression.samples, label: { en: 'p = n', zh: 'p = n' } }],
    });
    return multiPanel({
      lang,
      title: doubleDescent.title,
      caption: doubleDescent.caption(data, lang),
      panels: [testPanel, trainPanel, regressionPanel],
    });
  },
};
