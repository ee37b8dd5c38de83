import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSgd } from './sgd.js';
import { disposeAll, useCpuBackend, variablesOf } from './test-support.js';
import { NonFiniteLossError, type StepPosition, train } from './training-loop.js';

beforeAll(useCpuBackend);

/** Fits y = 2x with one weight by full-batch gradient descent. */
function setup() {
  const variables = variablesOf({ w: [0] });
  const inputs = tf.tensor1d([1, 2, 3]);
  const targets = tf.tensor1d([2, 4, 6]);
  const loss = () => tf.mean(tf.square(tf.sub(tf.mul(inputs, variables.get('w')!), targets))) as tf.Scalar;
  const weight = () => variables.get('w')!.dataSync()[0] as number;
  const cleanup = () => {
    disposeAll(variables);
    inputs.dispose();
    targets.dispose();
  };
  return { variables, loss, weight, cleanup };
}

describe('train', () => {
  it('takes the steps, records the loss, and evaluates every k steps and at the end', () => {
    const { variables, loss, weight, cleanup } = setup();
    const optimizer = createSgd({ variables, learningRate: 0.05 });
    const history = train({
      optimizer,
      loss,
      batch: () => undefined,
      steps: 12,
      evaluate: { train: () => ({ weight: weight(), double: 2 * weight() }) },
      evaluateEvery: 5,
      evaluateAtStart: true,
    });
    expect(history.stepsTaken).toBe(12);
    expect(history.stopReason).toBe('completed');
    expect(history.lossSteps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // First loss is at w = 0: mean(4, 16, 36) = 56 / 3.
    expect(history.loss[0]).toBeCloseTo(56 / 3, 4);
    for (let index = 1; index < history.loss.length; index++) {
      expect(history.loss[index]).toBeLessThan(history.loss[index - 1] as number);
    }
    expect(history.evaluationSteps).toEqual([0, 5, 10, 12]);
    expect(history.metrics.train?.weight?.[0]).toBe(0);
    expect(history.metrics.train?.double?.[3]).toBeCloseTo(2 * weight(), 6);
    // A metric that appears late or goes missing is NaN-padded to stay aligned with the steps.
    let evaluation = 0;
    const ragged = train({
      optimizer: createSgd({ variables, learningRate: 0 }),
      loss,
      batch: () => undefined,
      steps: 3,
      evaluateEvery: 1,
      evaluate: { test: (): Record<string, number> => (++evaluation === 2 ? { late: 1 } : { early: 0 }) },
    });
    expect(ragged.metrics.test).toEqual({ early: [0, Number.NaN, 0], late: [Number.NaN, 1, Number.NaN] });
    cleanup();
  });

  it('stops early when the target is reached', () => {
    const { variables, loss, weight, cleanup } = setup();
    const history = train({
      optimizer: createSgd({ variables, learningRate: 0.05 }),
      loss,
      batch: () => undefined,
      steps: 1000,
      evaluate: { train: () => ({ weight: weight() }) },
      evaluateEvery: 1,
      target: { split: 'train', metric: 'weight', atLeast: 1.9 },
    });
    expect(history.stopReason).toBe('target');
    expect(history.stepsTaken).toBeLessThan(50);
    expect(history.metrics.train?.weight?.at(-1)).toBeGreaterThanOrEqual(1.9);
    expect(history.metrics.train?.weight?.at(-2)).toBeLessThan(1.9);
    cleanup();
  });

  it('runs epochs, tells the batch callback where it is, and stops from callbacks', () => {
    const { variables, loss, cleanup } = setup();
    const positions: StepPosition[] = [];
    const history = train({
      optimizer: createSgd({ variables, learningRate: 0.01 }),
      loss,
      batch: (_step, position) => positions.push(position),
      epochs: 2,
      stepsPerEpoch: 3,
      recordLossEvery: 4,
    });
    expect(positions.map(({ epoch, stepInEpoch }) => `${epoch}:${stepInEpoch}`)).toEqual([
      '0:0',
      '0:1',
      '0:2',
      '1:0',
      '1:1',
      '1:2',
    ]);
    expect(history.lossSteps).toEqual([4, 6]);
    const stopped = train({
      optimizer: createSgd({ variables, learningRate: 0.01 }),
      loss,
      batch: () => undefined,
      steps: 10,
      onStep: (completed) => (completed === 3 ? 'stop' : undefined),
    });
    expect(stopped.stepsTaken).toBe(3);
    expect(stopped.stopReason).toBe('callback');
    cleanup();
  });

  it('throws NonFiniteLossError naming the step when the loss is NaN or infinite', () => {
    const { variables, loss, cleanup } = setup();
    const poisoned = (bad: number) => () =>
      train({
        optimizer: createSgd({ variables, learningRate: 0.01 }),
        loss: (step: number) => (step === 4 ? (tf.mul(loss(), bad) as tf.Scalar) : loss()),
        batch: (step) => step,
        steps: 10,
      });
    expect(poisoned(Number.NaN)).toThrow(new NonFiniteLossError(4, Number.NaN));
    // The failed step has already applied non-finite gradients; reset before the second run.
    variables.get('w')!.assign(tf.tensor([0]));
    expect(poisoned(Number.POSITIVE_INFINITY)).toThrow(/training loss is Infinity at step 4/);
    cleanup();
  });

  it('does not grow the tensor count across steps, disposing fresh batches', () => {
    const { variables, cleanup } = setup();
    const optimizer = createSgd({ variables, learningRate: 0.01, momentum: 0.9 });
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    train({
      optimizer,
      loss: ({ x, y }: { x: tf.Tensor; y: tf.Tensor }) =>
        tf.mean(tf.square(tf.sub(tf.mul(x, variables.get('w')!), y))) as tf.Scalar,
      batch: (step) => ({ x: tf.tensor1d([step, 1]), y: tf.tensor1d([2 * step, 2]) }),
      disposeBatch: true,
      steps: 30,
      evaluate: { train: () => ({ norm: tf.norm(variables.get('w')!).dataSync()[0] as number }) },
      evaluateEvery: 3,
      onStep: () => {
        counts.push(tf.memory().numTensors);
        return undefined;
      },
    });
    // One momentum slot appears at the first step, then nothing grows.
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before + 1);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    cleanup();
  });

  it('throws OptionError for inconsistent lengths and unknown targets', () => {
    const { variables, loss, cleanup } = setup();
    const optimizer = createSgd({ variables, learningRate: 0.01 });
    const base = { optimizer, loss, batch: () => undefined };
    expect(() => train(base)).toThrow(OptionError);
    expect(() => train({ ...base, steps: 1, epochs: 1 })).toThrow(/epochs/);
    expect(() => train({ ...base, epochs: 2 })).toThrow(/stepsPerEpoch/);
    expect(() => train({ ...base, steps: 2, evaluateEvery: 0 })).toThrow(/evaluateEvery/);
    expect(() =>
      train({
        ...base,
        steps: 1,
        evaluate: { test: () => ({}) },
        target: { split: 'test', metric: 'x', atLeast: 1 },
      }),
    ).toThrow(/target/);
    cleanup();
  });
});
