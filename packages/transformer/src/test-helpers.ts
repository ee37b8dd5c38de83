import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Selects the cpu backend once per test file. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Asserts that `run` leaves no tensor behind (the results it returns are disposed first). */
export function expectNoLeak(run: () => tf.Tensor | tf.Tensor[] | undefined): void {
  const before = tf.memory().numTensors;
  const result = run();
  if (result !== undefined) tf.dispose(result);
  expect(tf.memory().numTensors).toBe(before);
}

/** Asserts two flat number lists agree elementwise within `tolerance` (absolute). */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let index = 0; index < expected.length; index++) {
    const difference = Math.abs((actual[index] as number) - (expected[index] as number));
    if (!(difference <= tolerance)) {
      throw new Error(`element ${index}: ${actual[index]} vs ${expected[index]} (tolerance ${tolerance})`);
    }
  }
}

/** A tensor stored in a JSON fixture. */
export interface FixtureTensor {
  shape: number[];
  data: number[];
}

/** Assigns fixture weights to a model's variables by name, checking that every variable gets one. */
export function assignFixtureWeights(
  variables: ReadonlyMap<string, tf.Variable>,
  weights: Record<string, FixtureTensor>,
): void {
  expect(Object.keys(weights).sort()).toEqual([...variables.keys()].sort());
  for (const [name, { shape, data }] of Object.entries(weights)) {
    const variable = variables.get(name) as tf.Variable;
    expect(variable.shape).toEqual(shape);
    tf.tidy(() => variable.assign(tf.tensor(data, shape, 'float32')));
  }
}
