/**
 * `stepwise-skills` (§5): a one-hidden-layer ReLU MLP trained on multitask sparse parity, whose tasks
 * come with Zipf frequencies, learns the tasks one at a time: each task's accuracy sits at chance and
 * then jumps to near 100% within a short stretch of training, the most frequent tasks first, and wider
 * networks learn more of them within the same step budget (Michaud, Liu, Girit, Tegmark 2023, the
 * quantization model of neural scaling; Barak et al. 2022 on the sudden learning of sparse parities).
 * Measured at `quick`: seed 0 learns 5, 8, 13, 16 tasks at widths 64-512, longest jump 25% of the run;
 * seed 1 has one rare task that climbs gradually at every width (its longest jump, at width 256, takes
 * 35%), so the sharp-jumps claim sits near its threshold and depends on the seed.
 */
import { createRandom, createSparseParity, type SparseParity, spearman } from '@emerge/core';
import { createAdam, train } from '@emerge/optim';
import { createMlp } from '@emerge/transformer';
import { heatmap, linePlot, multiPanel } from '@emerge/viz';
import * as tf from '@tensorflow/tfjs';
import { type Claim, checkClaim, type FigureDefinition, type FigureRun, type Preset } from '../figure.js';
import { runsModuleUrl } from '../runs-module.js';
import { sections } from '../sections.js';
import { notHoldingText } from './not-holding-text.js';

/** Accuracy a task must stay under before its jump, and pass to count as learned. */
const CHANCE_BAND = 0.6;
const LEARNED = 0.9;

/** The task family and training budget shared by every width of a preset. */
interface TaskSetup {
  tasks: number;
  bits: number;
  k: number;
  zipfExponent: number;
  batchSize: number;
  steps: number;
  learningRate: number;
  evaluateEvery: number;
  /** Held-out examples per task, fixed for the whole run. */
  heldOutPerTask: number;
}

/** The setup of one preset: the task family and budget, and the hidden widths (one run each). */
interface StepwiseSkillsSetup extends TaskSetup {
  widths: number[];
}

const setups: Record<Preset, StepwiseSkillsSetup> = {
  smoke: {
    tasks: 4,
    bits: 12,
    k: 2,
    zipfExponent: 1.4,
    batchSize: 64,
    steps: 40,
    learningRate: 3e-3,
    evaluateEvery: 10,
    heldOutPerTask: 20,
    widths: [16, 32],
  },
  quick: {
    tasks: 16,
    bits: 50,
    k: 3,
    zipfExponent: 1.4,
    batchSize: 1024,
    steps: 6000,
    learningRate: 3e-3,
    evaluateEvery: 100,
    heldOutPerTask: 1000,
    widths: [64, 128, 256, 512],
  },
  full: {
    tasks: 16,
    bits: 50,
    k: 3,
    zipfExponent: 1.4,
    batchSize: 1024,
    steps: 10000,
    learningRate: 3e-3,
    evaluateEvery: 100,
    heldOutPerTask: 1000,
    widths: [32, 64, 128, 256, 512, 1024],
  },
};

/** Examples of the given tasks, task-major: `perTask` rows of task 0, then of task 1, and so on. */
export interface TaskExamples {
  /** Rows of `tasks + bits` floats: the task id one-hot, then the bits as -1 / +1. */
  inputs: Float32Array;
  /** The parity of the task's k bits: 1 when their product is -1. */
  labels: Int32Array;
}

/**
 * A fixed number of examples of every task of `family` (bits uniform), so each task's accuracy is
 * measured on the same held-out sample throughout a run, however rare the task is in training.
 * @example
 * ```ts
 * const heldOut = taskExamples(createSparseParity({ seed: 1 }), 200, 7); // 16 * 200 rows
 * ```
 */
export function taskExamples(family: SparseParity, perTask: number, seed: number): TaskExamples {
  const { tasks, bits, k, inputSize, subsets } = family;
  const random = createRandom(seed).fork('task-examples');
  const inputs = new Float32Array(tasks * perTask * inputSize);
  const labels = new Int32Array(tasks * perTask);
  for (let task = 0; task < tasks; task++) {
    for (let example = 0; example < perTask; example++) {
      const row = task * perTask + example;
      const start = row * inputSize;
      inputs[start + task] = 1;
      for (let bit = 0; bit < bits; bit++) inputs[start + tasks + bit] = random.uniform() < 0.5 ? -1 : 1;
      let product = 1;
      for (let index = 0; index < k; index++)
        product *= inputs[start + tasks + (subsets[task * k + index] ?? 0)] ?? 1;
      labels[row] = product < 0 ? 1 : 0;
    }
  }
  return { inputs, labels };
}

/** Configuration of {@link stepwiseSkillsRun}: the task family, the budget and one hidden width. */
export interface StepwiseSkillsRunConfig extends TaskSetup, Record<string, unknown> {
  width: number;
}

/** What one width's run records. */
export interface StepwiseSkillsRunResult {
  width: number;
  /** Completed steps at each evaluation (0 = before training). */
  evaluationSteps: number[];
  /** `accuracy[task][i]`: held-out accuracy of task `task` (most frequent first) at `evaluationSteps[i]`. */
  accuracy: number[][];
  /** Completed steps at which the training loss was recorded. */
  lossSteps: number[];
  /** The training batch's mean loss at `lossSteps` (no claim rests on it: with 16 tasks it is not smooth). */
  loss: number[];
}

/**
 * Trains one width on fresh multitask sparse-parity batches with Adam and records every task's accuracy
 * on a fixed held-out sample. The task subsets come from `seed`, so every width of a sweep sees the same
 * tasks; the initialization and batches are forked from it.
 */
export function stepwiseSkillsRun(config: StepwiseSkillsRunConfig, seed: number): StepwiseSkillsRunResult {
  const {
    tasks,
    bits,
    k,
    zipfExponent,
    batchSize,
    steps,
    learningRate,
    evaluateEvery,
    heldOutPerTask,
    width,
  } = config;
  const family = createSparseParity({ tasks, bits, k, zipfExponent, seed });
  const random = createRandom(seed);
  // PyTorch's nn.Linear initialization, as in the reference runs.
  const model = createMlp({
    inputSize: family.inputSize,
    hiddenSizes: [width],
    outputSize: 2,
    init: 'torch-linear',
    seed: random.fork('init').seed,
  });
  const optimizer = createAdam({ variables: model.variables, learningRate });
  const batchSeeds = random.fork('batches');
  const heldOut = taskExamples(family, heldOutPerTask, random.fork('held-out').seed);
  const heldOutInputs = tf.tensor2d(heldOut.inputs, [tasks * heldOutPerTask, family.inputSize]);
  const heldOutLabels = tf.tensor1d(heldOut.labels, 'int32');
  try {
    const history = train({
      optimizer,
      loss: ({ inputs, labels }: { inputs: tf.Tensor2D; labels: tf.Tensor1D }) => model.loss(inputs, labels),
      batch: () => {
        const batch = family.sample(batchSize, batchSeeds.integer(2 ** 31));
        return {
          inputs: tf.tensor2d(batch.inputs, [batchSize, family.inputSize]),
          labels: tf.tensor1d(Int32Array.from(batch.labels), 'int32'),
        };
      },
      disposeBatch: true,
      steps,
      evaluate: {
        heldOut: () => {
          const predictions = tf.argMax(model.forward(heldOutInputs), 1); // [tasks * perTask]
          const correct = tf
            .cast(tf.equal(predictions, heldOutLabels), 'float32')
            .reshape([tasks, heldOutPerTask]);
          const perTask = tf.mean(correct, 1).dataSync(); // [tasks]
          return Object.fromEntries(Array.from(perTask, (value, task) => [`task${task}`, value]));
        },
      },
      evaluateEvery,
      evaluateAtStart: true,
      recordLossEvery: evaluateEvery,
    });
    const metrics = history.metrics.heldOut ?? {};
    return {
      width,
      evaluationSteps: history.evaluationSteps,
      accuracy: Array.from({ length: tasks }, (_, task) => (metrics[`task${task}`] ?? []).map(round)),
      lossSteps: history.lossSteps,
      loss: history.loss.map(round),
    };
  } finally {
    tf.dispose([heldOutInputs, heldOutLabels]);
    optimizer.dispose();
    model.dispose();
  }
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** When one task was learned in a run, and how long its jump from chance took. */
export interface TaskJump {
  /** Whether the final held-out accuracy is above 90%. */
  learned: boolean;
  /** First evaluation step with accuracy above 90% (null when the task is not learned). */
  learnedStep: number | null;
  /**
   * (learnedStep - last step before it with accuracy below 60%) / total steps: the share of the run the
   * jump took. Null when the task is not learned, or was never seen below 60% before it passed 90%.
   */
  jumpFraction: number | null;
}

/**
 * Finds a task's jump from below 60% to above 90% accuracy in its evaluation history.
 * @example
 * ```ts
 * taskJump([0, 100, 200, 300, 400], [0.5, 0.52, 0.7, 0.95, 0.97], 400);
 * // { learned: true, learnedStep: 300, jumpFraction: 0.5 } (from step 100 to step 300 of 400)
 * ```
 */
export function taskJump(
  steps: readonly number[],
  accuracy: readonly number[],
  totalSteps: number,
): TaskJump {
  const learned = (accuracy[accuracy.length - 1] ?? 0) > LEARNED;
  const high = accuracy.findIndex((value) => value > LEARNED);
  if (!learned || high < 0) return { learned: false, learnedStep: null, jumpFraction: null };
  const learnedStep = steps[high] ?? 0;
  let low = high - 1;
  while (low >= 0 && (accuracy[low] ?? 0) >= CHANCE_BAND) low--;
  const jumpFraction = low < 0 ? null : (learnedStep - (steps[low] ?? 0)) / totalSteps;
  return { learned, learnedStep, jumpFraction };
}

/** One width's tasks, summarized. */
export interface WidthSummary {
  width: number;
  learnedCount: number;
  /** One entry per task, most frequent first. */
  jumps: TaskJump[];
}

/** The figure's plain data. */
export interface StepwiseSkillsData extends TaskSetup {
  /** Probability of each task in training, most frequent first. */
  frequencies: number[];
  /** One run per width, narrowest first. */
  runs: StepwiseSkillsRunResult[];
  /** The same runs, summarized (narrowest first). */
  summaries: WidthSummary[];
}

/** Summarizes one width's run. */
export function summarizeWidth(run: StepwiseSkillsRunResult, totalSteps: number): WidthSummary {
  const jumps = run.accuracy.map((accuracy) => taskJump(run.evaluationSteps, accuracy, totalSteps));
  return { width: run.width, learnedCount: jumps.filter((jump) => jump.learned).length, jumps };
}

/**
 * Spearman correlation of frequency rank with the step at which each task was learned, for one width.
 * A task not learned counts as learned after the run (one evaluation past the end), so tasks the model
 * never learns tie at the latest rank instead of dropping out.
 */
export function frequencyOrder(summary: WidthSummary, totalSteps: number, evaluateEvery: number): number {
  if (summary.jumps.length < 2) return Number.NaN;
  const ranks = summary.jumps.map((_, task) => task + 1);
  const learnedSteps = summary.jumps.map((jump) => jump.learnedStep ?? totalSteps + evaluateEvery);
  return spearman(ranks, learnedSteps);
}

/** The largest jump fraction over every learned task of every width (NaN when one has no jump, or none is learned). */
function largestJump(summaries: readonly WidthSummary[]): number {
  const learned = summaries.flatMap((summary) => summary.jumps.filter((jump) => jump.learned));
  if (learned.length === 0) return Number.NaN;
  return Math.max(...learned.map((jump) => jump.jumpFraction ?? Number.NaN));
}

function widest(data: StepwiseSkillsData): WidthSummary | undefined {
  return data.summaries[data.summaries.length - 1];
}

/** The stepwise-skills claim checks of FIGURES.md. */
export function stepwiseSkillsClaims(data: StepwiseSkillsData): Claim[] {
  const top = widest(data);
  const order = top === undefined ? Number.NaN : frequencyOrder(top, data.steps, data.evaluateEvery);
  const widthRho =
    data.summaries.length < 2
      ? Number.NaN
      : spearman(
          data.summaries.map((summary) => summary.width),
          data.summaries.map((summary) => summary.learnedCount),
        );
  return [
    checkClaim({
      id: 'sharp-jumps',
      statement:
        'Every learned task (final accuracy > 90%) of every width goes from < 60% to > 90% within at most 30% of the run (value: largest share of the run a jump took)',
      value: largestJump(data.summaries),
      comparison: '<=',
      threshold: 0.3,
    }),
    checkClaim({
      id: 'frequency-order',
      statement: `The widest network (${top?.width ?? '?'}) learns tasks in order of frequency (value: Spearman rho of frequency rank vs step learned, unlearned tasks last)`,
      value: order,
      comparison: '>=',
      threshold: 0.7,
    }),
    checkClaim({
      id: 'wider-learns-more',
      statement:
        'Wider networks learn more tasks in the same budget (value: Spearman rho of width vs tasks learned)',
      value: widthRho,
      comparison: '>=',
      threshold: 0.9,
    }),
  ];
}

/** A share as a percentage, or `n/a` for a claim value that could not be computed. */
function percent(value: number): string {
  return Number.isFinite(value) ? `${Number((100 * value).toFixed(1))}%` : 'n/a';
}

function fixed(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

/** Up to `count` task indices spread evenly from the most to the least frequent. */
export function spreadTasks(tasks: number, count: number): number[] {
  if (tasks <= count) return Array.from({ length: tasks }, (_, task) => task);
  return Array.from({ length: count }, (_, index) => Math.round((index * (tasks - 1)) / (count - 1)));
}

/** The `stepwise-skills` figure. */
export const stepwiseSkills: FigureDefinition<StepwiseSkillsData> = {
  id: 'stepwise-skills',
  title: {
    en: 'Skills are learned one at a time, in steps',
    zh: '技能逐个习得，呈阶梯式跃迁',
  },
  section: sections.optimization,
  anchor:
    'Michaud et al. 2023 (The Quantization Model of Neural Scaling): multitask sparse parity with Zipf task frequencies; each task is learned abruptly, frequent tasks first, bigger networks learn more',
  sweep(preset, seed): FigureRun[] {
    const { widths, ...taskSetup } = setups[preset];
    // Widest first: the pool takes runs in order, so the longest run starts at once.
    return [...widths]
      .sort((left, right) => right - left)
      .map((width) => ({
        task: runsModuleUrl,
        exportName: 'stepwiseSkillsRun',
        seed,
        config: { ...taskSetup, width } satisfies StepwiseSkillsRunConfig,
      }));
  },
  assemble(results, preset): StepwiseSkillsData {
    const { widths: _widths, ...taskSetup } = setups[preset];
    const runs = results
      .map((entry) => entry.result as StepwiseSkillsRunResult)
      .sort((left, right) => left.width - right.width);
    const family = createSparseParity({ ...taskSetup, seed: results[0]?.run.seed ?? 0 });
    return {
      ...taskSetup,
      frequencies: Array.from(family.frequencies),
      runs,
      summaries: runs.map((run) => summarizeWidth(run, taskSetup.steps)),
    };
  },
  claims: (data) => stepwiseSkillsClaims(data),
  caption(data, lang) {
    const top = widest(data);
    const claims = stepwiseSkillsClaims(data);
    const value = (id: string) => claims.find((claim) => claim.id === id)?.value ?? Number.NaN;
    const counts = data.summaries.map((summary) => `${summary.width}: ${summary.learnedCount}`).join(', ');
    const setup =
      lang === 'en'
        ? `One-hidden-layer ReLU networks trained with Adam on ${data.tasks} sparse-parity tasks (${data.bits} bits, k = ${data.k}), task i drawn with probability ~ i^-${data.zipfExponent}, ${data.steps} steps of ${data.batchSize} fresh examples; accuracy on ${data.heldOutPerTask} held-out examples per task.`
        : `单隐层 ReLU 网络用 Adam 训练 ${data.tasks} 个稀疏奇偶任务（${data.bits} 个比特，k = ${data.k}），任务 i 的抽样概率 ~ i^-${data.zipfExponent}，共 ${data.steps} 步、每步 ${data.batchSize} 个新样本；每个任务在 ${data.heldOutPerTask} 个留出样本上测准确率。`;
    const findings =
      lang === 'en'
        ? `(a, b) Width ${top?.width}: each task stays at chance, then jumps to above 90%, frequent tasks first (Spearman rho ${fixed(value('frequency-order'))}); frames mark the first evaluation above 90%. Over every width, the longest jump from below 60% to above 90% took ${percent(value('sharp-jumps'))} of the run. (c) Tasks learned by width: ${counts}.`
        : `(a, b) 宽度 ${top?.width}：每个任务先停在随机水平，再跃升到 90% 以上，越常见的任务越早学会（Spearman rho ${fixed(value('frequency-order'))}）；方框标出首次超过 90% 的评估点。所有宽度中，从 60% 以下升到 90% 以上最长用了训练的 ${percent(value('sharp-jumps'))}。(c) 各宽度学会的任务数：${counts}。`;
    const verdict = notHoldingText(claims, lang);
    return `${setup} ${findings}${verdict}`;
  },
  plot(data, lang) {
    const top = widest(data);
    const run = data.runs[data.runs.length - 1];
    const taskName = (task: number) =>
      lang === 'en'
        ? `task ${task + 1} (p = ${percent(data.frequencies[task] ?? 0)})`
        : `任务 ${task + 1}（p = ${percent(data.frequencies[task] ?? 0)}）`;
    const steps = run?.evaluationSteps ?? [];
    const stepsAxisTitle = { en: 'training step', zh: '训练步数' };
    const grid = heatmap({
      lang,
      title: {
        en: `(a) held-out accuracy per task, width ${top?.width}`,
        zh: `(a) 各任务留出准确率，宽度 ${top?.width}`,
      },
      caption: '',
      x: { title: stepsAxisTitle, labels: steps.map(String) },
      y: {
        title: { en: 'task (1 = most frequent)', zh: '任务（1 = 最常见）' },
        labels: (run?.accuracy ?? []).map((_, task) => String(task + 1)),
      },
      values: run?.accuracy ?? [[0]],
      color: { title: { en: 'accuracy', zh: '准确率' }, domain: [0, 1] },
      marks: (top?.jumps ?? []).flatMap((jump, task) =>
        jump.learnedStep === null ? [] : [{ row: task, column: steps.indexOf(jump.learnedStep) }],
      ),
    });
    const shown = spreadTasks(run?.accuracy.length ?? 0, 8);
    const curves = linePlot({
      lang,
      title: {
        en: `(b) accuracy of ${shown.length} tasks, frequent to rare`,
        zh: `(b) ${shown.length} 个任务的准确率（由常见到罕见）`,
      },
      caption: '',
      x: { title: stepsAxisTitle },
      y: { title: { en: 'held-out accuracy', zh: '留出准确率' }, format: '.0%', domain: [0, 1] },
      series: shown.map((task) => ({
        name: taskName(task),
        points: steps.map((step, index) => ({ x: step, y: run?.accuracy[task]?.[index] ?? 0 })),
      })),
      annotations: [
        { kind: 'rule', y: LEARNED, label: { en: 'learned (90%)', zh: '学会（90%）' } },
        { kind: 'rule', y: 0.5, label: { en: 'chance (50%)', zh: '随机水平（50%）' } },
      ],
    });
    const counts = linePlot({
      lang,
      title: { en: '(c) tasks learned vs width', zh: '(c) 学会的任务数与宽度' },
      caption: '',
      x: { title: { en: 'hidden width', zh: '隐藏层宽度' }, scale: 'log' },
      y: {
        title: { en: `tasks learned (of ${data.tasks})`, zh: `学会的任务数（共 ${data.tasks} 个）` },
        domain: [0, data.tasks],
      },
      series: [
        {
          name: { en: 'final accuracy > 90%', zh: '最终准确率 > 90%' },
          points: data.summaries.map((summary) => ({ x: summary.width, y: summary.learnedCount })),
        },
      ],
      points: true,
    });
    return multiPanel({
      lang,
      title: stepwiseSkills.title,
      caption: stepwiseSkills.caption(data, lang),
      panels: [grid, curves, counts],
    });
  },
};
