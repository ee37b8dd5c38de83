/**
 * `sharpness-batch` (§5): the same MNIST MLP trained with the same SGD learning rate at batch sizes
 * 32 ... 2,048 to the same training loss lands in sharper minima (larger top Hessian eigenvalue, larger
 * epsilon-sharpness) as the batch grows, and those minima generalize worse (Keskar et al. 2017).
 */
import { spearman } from '@emerge/core';
import { type LineSeries, linePlot, multiPanel } from '@emerge/viz';
import { type Claim, checkClaim, type FigureDefinition, type Preset } from '../figure.js';
import { sections } from '../sections.js';
import {
  collectMinima,
  describeOptimizer,
  type FlatMinimaOptimizer,
  flatMinimaRuns,
  flatMinimaSetups,
  type TrainedMinimum,
} from './flat-minima.js';

/** The figure's plain data. */
export interface SharpnessBatchData {
  batchSizes: number[];
  trainSize: number;
  testSize: number;
  /** Layer widths of the MLP, inputs first. */
  layerSizes: number[];
  targetLoss: number;
  epochCap: number;
  hessianExamples: number;
  powerIterations: number;
  /** Box size of the epsilon-sharpness. */
  epsilon: number;
  optimizer: FlatMinimaOptimizer;
  /** Every seed's minima, one per batch size, in the order of `batchSizes`. */
  seeds: Array<{ seed: number; minima: TrainedMinimum[] }>;
}

/** A measurement of each batch size, averaged over seeds (NaN where a seed lacks the batch size). */
export function meanOverSeeds(data: SharpnessBatchData, pick: (minimum: TrainedMinimum) => number): number[] {
  return data.batchSizes.map((batchSize) => {
    const values = data.seeds.map(({ minima }) => {
      const minimum = minima.find((candidate) => candidate.batchSize === batchSize);
      return minimum === undefined ? Number.NaN : pick(minimum);
    });
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  });
}

/** The claim checks of FIGURES.md. */
export function sharpnessBatchClaims(data: SharpnessBatchData): Claim[] {
  const eigenvalues = meanOverSeeds(data, (minimum) => minimum.topEigenvalue);
  const testAccuracy = meanOverSeeds(data, (minimum) => minimum.testAccuracy);
  const drop =
    100 * ((testAccuracy[0] ?? Number.NaN) - (testAccuracy[testAccuracy.length - 1] ?? Number.NaN));
  return [
    checkClaim({
      id: 'sharpness-rises-with-batch',
      statement:
        'The top Hessian eigenvalue increases with batch size (value: Spearman rho of batch size and the mean eigenvalue over seeds)',
      value: eigenvalues.every(Number.isFinite) ? spearman(data.batchSizes, eigenvalues) : Number.NaN,
      comparison: '>=',
      threshold: 0.8,
    }),
    checkClaim({
      id: 'large-batch-generalizes-worse',
      statement: `The largest batch's test accuracy is below the smallest batch's (value: mean drop over seeds, in points)`,
      value: drop,
      comparison: '>=',
      threshold: 0.5,
    }),
  ];
}

/** Four panels in a row: narrower than the default so the figure stays readable at page width. */
const PANEL_WIDTH = 260;

function batchAxis(lang: 'en' | 'zh') {
  return { title: lang === 'en' ? 'batch size' : '批量大小', scale: 'log' as const };
}

/** A series of the mean over seeds, with the range over seeds as its band when there are several. */
function seedSeries(
  data: SharpnessBatchData,
  name: LineSeries['name'],
  pick: (minimum: TrainedMinimum) => number,
): LineSeries {
  const mean = meanOverSeeds(data, pick);
  return {
    name,
    points: data.batchSizes.map((batchSize, index) => {
      const values = data.seeds.flatMap(({ minima }) =>
        minima.filter((m) => m.batchSize === batchSize).map(pick),
      );
      const band = values.length > 1 ? { low: Math.min(...values), high: Math.max(...values) } : {};
      return { x: batchSize, y: mean[index] ?? 0, ...band };
    }),
  };
}

function formatList(values: number[], digits: number): string {
  return values.map((value) => value.toFixed(digits)).join(' / ');
}

/** The `sharpness-batch` figure. */
export const sharpnessBatch: FigureDefinition<SharpnessBatchData> = {
  id: 'sharpness-batch',
  title: {
    en: 'Larger batches find sharper minima that generalize worse',
    zh: '批量越大，找到的极小值越尖锐，泛化越差',
  },
  section: sections.optimization,
  anchor:
    'Keskar et al. 2017 (On Large-Batch Training for Deep Learning): large-batch minima have larger sharpness and lower test accuracy at equal training loss',
  sweep: (preset: Preset, seed: number) => flatMinimaRuns(preset, seed, 'all'),
  assemble(results, preset): SharpnessBatchData {
    const { base, batchSizes } = flatMinimaSetups[preset];
    const side = 28 / base.pool;
    return {
      batchSizes,
      trainSize: base.trainSize,
      testSize: base.testSize,
      layerSizes: [side * side, ...base.hiddenSizes, 10],
      targetLoss: base.targetLoss,
      epochCap: base.epochCap,
      hessianExamples: base.hessianExamples,
      powerIterations: base.powerIterations,
      epsilon: base.epsilon,
      optimizer: base.optimizer,
      seeds: collectMinima(results),
    };
  },
  claims: (data) => sharpnessBatchClaims(data),
  caption(data, lang) {
    const eigenvalues = meanOverSeeds(data, (minimum) => minimum.topEigenvalue);
    const testAccuracy = meanOverSeeds(data, (minimum) => 100 * minimum.testAccuracy);
    const losses = data.seeds.flatMap(({ minima }) => minima.map((minimum) => minimum.finalTrainLoss));
    const capped = data.seeds.flatMap(({ seed, minima }) =>
      minima
        .filter((minimum) => !minimum.reachedTarget)
        .map((minimum) => `${minimum.batchSize} (seed ${seed})`),
    );
    const batches = data.batchSizes.join(' / ');
    const seedCount = data.seeds.length;
    const layers = data.layerSizes.join('-');
    const lossRange = `${Math.min(...losses).toFixed(4)}-${Math.max(...losses).toFixed(4)}`;
    if (lang === 'en') {
      const cappedText =
        capped.length === 0
          ? `every run reached it (final training losses ${lossRange})`
          : `runs at batch ${capped.join(', ')} stopped at the ${data.epochCap}-epoch cap above it (final training losses ${lossRange}), which biases their comparison`;
      return `A ${layers} ReLU MLP trained on ${data.trainSize} MNIST digits with ${describeOptimizer(data.optimizer, 'en')} at batch sizes ${batches} until the training loss is below ${data.targetLoss}: ${cappedText}. The top Hessian eigenvalue of the training loss (power iteration, at most ${data.powerIterations} products on ${data.hessianExamples} examples) grows with the batch: ${formatList(eigenvalues, 1)}; test accuracy on ${data.testSize} digits falls: ${formatList(testAccuracy, 1)}% (mean of ${seedCount} seed${seedCount > 1 ? 's' : ''}).`;
    }
    const cappedText =
      capped.length === 0
        ? `所有运行都达到了该值（最终训练损失 ${lossRange}）`
        : `批量 ${capped.join('、')} 的运行在 ${data.epochCap} 轮上限处停止、损失仍高于该值（最终训练损失 ${lossRange}），这会使比较有偏`;
    return `${layers} 的 ReLU 多层感知机在 ${data.trainSize} 个 MNIST 数字上用 ${describeOptimizer(data.optimizer, 'zh')} 以批量 ${batches} 训练，直到训练损失低于 ${data.targetLoss}：${cappedText}。训练损失的 Hessian 最大特征值（幂迭代，最多 ${data.powerIterations} 次乘积，${data.hessianExamples} 个样本）随批量增大：${formatList(eigenvalues, 1)}；${data.testSize} 个测试数字上的准确率下降：${formatList(testAccuracy, 1)}%（${seedCount} 个种子的平均）。`;
  },
  plot(data, lang) {
    const eigenvaluePanel = linePlot({
      lang,
      title: { en: '(a) sharpness: top Hessian eigenvalue', zh: '(a) 尖锐度：Hessian 最大特征值' },
      caption: '',
      x: batchAxis(lang),
      y: {
        title: { en: 'top eigenvalue of the training-loss Hessian', zh: '训练损失 Hessian 的最大特征值' },
        scale: 'log',
      },
      series: [
        seedSeries(data, { en: 'top eigenvalue', zh: '最大特征值' }, (minimum) => minimum.topEigenvalue),
      ],
      points: true,
      width: PANEL_WIDTH,
    });
    const accuracyPanel = linePlot({
      lang,
      title: { en: '(b) accuracy at the minimum', zh: '(b) 极小值处的准确率' },
      caption: '',
      x: batchAxis(lang),
      y: { title: { en: 'test accuracy', zh: '测试准确率' }, format: '.1%' },
      series: [seedSeries(data, { en: 'test', zh: '测试集' }, (minimum) => minimum.testAccuracy)],
      points: true,
      width: PANEL_WIDTH,
    });
    const epsilonPanel = linePlot({
      lang,
      title: { en: '(c) Keskar epsilon-sharpness', zh: '(c) Keskar ε-尖锐度' },
      caption: '',
      x: batchAxis(lang),
      y: {
        title: {
          en: `epsilon-sharpness (%), epsilon = ${data.epsilon}`,
          zh: `ε-尖锐度（%），ε = ${data.epsilon}`,
        },
      },
      series: [
        seedSeries(data, { en: 'epsilon-sharpness', zh: 'ε-尖锐度' }, (minimum) => minimum.epsilonSharpness),
      ],
      points: true,
      width: PANEL_WIDTH,
    });
    // Sharpness is compared at equal training loss: this panel shows that the runs stopped alike.
    const finalLosses = data.seeds.flatMap(({ minima }) => minima.map((minimum) => minimum.finalTrainLoss));
    const lossPanel = linePlot({
      lang,
      title: { en: '(d) training loss where training stopped', zh: '(d) 停止训练时的训练损失' },
      caption: '',
      x: batchAxis(lang),
      y: {
        title: { en: 'training loss (all training digits)', zh: '训练损失（全部训练数字）' },
        domain: [0, Math.max(2 * data.targetLoss, ...finalLosses)],
      },
      series: [
        seedSeries(
          data,
          { en: 'final training loss', zh: '最终训练损失' },
          (minimum) => minimum.finalTrainLoss,
        ),
      ],
      points: true,
      width: PANEL_WIDTH,
      annotations: [{ kind: 'rule', y: data.targetLoss, label: { en: 'target', zh: '目标' } }],
    });
    return multiPanel({
      lang,
      title: sharpnessBatch.title,
      caption: sharpnessBatch.caption(data, lang),
      panels: [eigenvaluePanel, accuracyPanel, epsilonPanel, lossPanel],
    });
  },
};
