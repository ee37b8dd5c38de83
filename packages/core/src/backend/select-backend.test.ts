import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

async function matMulWorks(): Promise<void> {
  const before = tf.memory().numTensors;
  const product = tf.tidy(() =>
    tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([[5], [6]]),
    ),
  );
  expect(await product.array()).toEqual([[17], [39]]);
  product.dispose();
  expect(tf.memory().numTensors).toBe(before);
}

describe('selectBackend', () => {
  it('falls back to wasm in Node when tfjs-node is not installed, and wasm computes', async () => {
    expect(await selectBackend()).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    await matMulWorks();
    expect(await selectBackend({ preferred: 'node' })).toBe('wasm');
  });

  it('honours a preferred backend', async () => {
    expect(await selectBackend({ preferred: 'cpu' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await matMulWorks();
    expect(await selectBackend({ preferred: 'wasm' })).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend, naming the option', async () => {
    await expect(selectBackend({ preferred: 'webgl' as never })).rejects.toThrow(
      'preferred must be one of node, wasm, cpu, got "webgl"',
    );
  });
});
