import { createSparseParity } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FigureRunResult } from '../figure.js';
import {
  frequencyOrder,
  type StepwiseSkillsData,
  type StepwiseSkillsRunResult,
  spreadTasks,
  stepwiseSkills,
  stepwiseSkillsClaims,
  stepwiseSkillsRun,
  summarizeWidth,
  taskExamples,
  taskJump,
} from './stepwise-skills.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('taskExamples', () => {
  it('gives every task the same number of rows, labelled by the parity of its own bits', () => {
    const family = createSparseParity({ tasks: 3, bits: 6, k: 2, seed: 4 });
    const { inputs, labels } = taskExamples(family, 50, 1);
    expect(labels).toHaveLength(150);
    let ones = 0;
    for (let row = 0; row < 150; row++) {
      const task = Math.floor(row / 50);
      const start = row * family.inputSize;
      expect(Array.from(inputs.subarray(start, start + 3))).toEqual(
        [0, 1, 2].map((index) => (index === task ? 1 : 0)),
      );
      const chosen = Array.from(family.subsets.subarray(task * 2, task * 2 + 2));
      const negatives = chosen.filter((bit) => inputs[start + 3 + bit] === -1).length;
      expect(labels[row]).toBe(negatives % 2);
      ones += labels[row] ?? 0;
    }
    // Parity of uniform bits is a fair coin.
    expect(ones).toBeGreaterThan(50);
    expect(ones).toBeLessThan(100);
  });
});

describe('taskJump', () => {
  it('measures the jump from the last evaluation below 60% to the first above 90%', () => {
    expect(taskJump([0, 100, 200, 300, 400], [0.5, 0.52, 0.7, 0.95, 0.97], 400)).toEqual({
      learned: true,
      learnedStep: 300,
      jumpFraction: 0.5,
    });
    expect(taskJump([0, 100, 200], [0.5, 0.91, 1], 200)).toEqual({
      learned: true,
      learnedStep: 100,
      jumpFraction: 0.5,
    });
  });

  it('reports an unlearned task, and a task never seen below 60%', () => {
    expect(taskJump([0, 100, 200], [0.5, 0.95, 0.85], 200)).toEqual({
      learned: false,
      learnedStep: null,
      jumpFraction: null,
    });
    expect(taskJump([0, 100], [0.7, 0.95], 100)).toEqual({
      learned: true,
      learnedStep: 100,
      jumpFraction: null,
    });
  });
});

describe('spreadTasks', () => {
  it('spreads picks evenly from the first to the last task', () => {
    expect(spreadTasks(16, 8)).toEqual([0, 2, 4, 6, 9, 11, 13, 15]);
    expect(spreadTasks(4, 8)).toEqual([0, 1, 2, 3]);
  });
});

const steps = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];

/** A task that sits at chance and then solves itself at `at` (or never, for null), or creeps up slowly. */
function curve(at: number | null, slow = false): number[] {
  if (slow) return steps.map((step) => 0.5 + (0.48 * step) / 1000);
  return steps.map((step) => (at !== null && step >= at ? 0.99 : 0.5));
}

function syntheticData(
  widths: number[],
  learnedAt: Array<Array<number | null>>,
  slowTask?: number,
): StepwiseSkillsData {
  const runs: StepwiseSkillsRunResult[] = widths.map((width, index) => ({
    width,
    evaluationSteps: steps,
    accuracy: (learnedAt[index] ?? []).map((at, task) => curve(at, task === slowTask)),
    lossSteps: [100],
    loss: [0.6],
  }));
  return {
    tasks: 4,
    bits: 10,
    k: 3,
    zipfExponent: 1.4,
    batchSize: 16,
    steps: 1000,
    learningRate: 0.003,
    evaluateEvery: 100,
    heldOutPerTask: 10,
    frequencies: [0.5, 0.25, 0.15, 0.1],
    runs,
    summaries: runs.map((run) => summarizeWidth(run, 1000)),
  };
}

describe('frequencyOrder', () => {
  it('ranks unlearned tasks last, tied', () => {
    const [summary] = syntheticData([8], [[200, 400, null, null]]).summaries;
    // Steps [200, 400, 1100, 1100] rank [1, 2, 3.5, 3.5] against [1, 2, 3, 4]: rho = 4.5 / sqrt(5 * 4.5).
    expect(frequencyOrder(summary!, 1000, 100)).toBeCloseTo(4.5 / Math.sqrt(22.5), 10);
  });
});

describe('stepwiseSkillsClaims', () => {
  it('hold when tasks jump, in order of frequency, and wider networks learn more', () => {
    const data = syntheticData(
      [8, 16, 32],
      [
        [300, null, null, null],
        [200, 500, null, null],
        [100, 300, 600, 800],
      ],
    );
    expect(stepwiseSkillsClaims(data).map((claim) => [claim.id, claim.holds])).toEqual([
      ['sharp-jumps', true],
      ['frequency-order', true],
      ['wider-learns-more', true],
    ]);
  });

  it('fail for a slow climb, rare tasks first, and width that does not help', () => {
    const slow = syntheticData(
      [8, 16],
      [
        [null, null, null, null],
        [100, 300, 600, 800],
      ],
      3,
    );
    expect(stepwiseSkillsClaims(slow)[0]).toMatchObject({ id: 'sharp-jumps', holds: false });
    const reversed = syntheticData(
      [8, 16],
      [
        [null, null, null, 300],
        [800, 600, 300, 100],
      ],
    );
    expect(stepwiseSkillsClaims(reversed)[1]).toMatchObject({ id: 'frequency-order', holds: false });
    const flat = syntheticData(
      [8, 16, 32],
      [
        [100, 300, null, null],
        [100, 300, 500, null],
        [100, null, null, null],
      ],
    );
    expect(stepwiseSkillsClaims(flat)[2]).toMatchObject({ id: 'wider-learns-more', holds: false });
  });
});

describe('stepwiseSkillsRun', () => {
  it('records every task at every evaluation and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const result = stepwiseSkillsRun(
      {
        tasks: 3,
        bits: 8,
        k: 2,
        zipfExponent: 1.4,
        batchSize: 32,
        steps: 20,
        learningRate: 0.003,
        evaluateEvery: 10,
        heldOutPerTask: 10,
        width: 8,
      },
      2,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(result.evaluationSteps).toEqual([0, 10, 20]);
    expect(result.accuracy).toHaveLength(3);
    for (const accuracy of result.accuracy) {
      expect(accuracy).toHaveLength(3);
      for (const value of accuracy) expect(value * 10).toBeCloseTo(Math.round(value * 10), 6); // 10 examples each
    }
    expect(result.lossSteps).toEqual([10, 20]);
  });
});

describe('stepwiseSkills at the smoke preset', () => {
  it('runs its sweep, assembles, checks and plots', () => {
    const runs = stepwiseSkills.sweep('smoke', 0);
    expect(runs.map((run) => run.config.width)).toEqual([32, 16]);
    const results: FigureRunResult[] = runs.map((run) => ({
      run,
      result: JSON.parse(JSON.stringify(stepwiseSkillsRun(run.config as never, run.seed))),
    }));
    const data = stepwiseSkills.assemble(results, 'smoke');
    expect(data.summaries.map((summary) => summary.width)).toEqual([16, 32]);
    expect(data.frequencies).toHaveLength(4);
    expect(stepwiseSkills.claims(data, 'smoke')).toHaveLength(3);
    expect(JSON.stringify(stepwiseSkills.plot(data, 'zh'))).toContain('技能逐个习得');
    expect(stepwiseSkills.caption(data, 'en')).toMatch(/4 sparse-parity tasks/);
  });
});
