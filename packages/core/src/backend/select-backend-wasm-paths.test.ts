// A file of its own: a wasm backend that failed to initialize cannot be initialized again in the same
// process, and vitest gives each test file a fresh process.
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from './select-backend.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('selectBackend wasmPaths', () => {
  it('passes the prefix to setWasmPaths: with no .wasm files there, wasm fails and cpu is used', async () => {
    expect(await selectBackend({ preferred: 'wasm', wasmPaths: '/nonexistent/' })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });
});
