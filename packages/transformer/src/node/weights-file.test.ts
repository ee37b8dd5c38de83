import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecurrent } from '../recurrent.js';
import { decodeSafetensors } from '../safetensors.js';
import { useCpu } from '../test-helpers.js';
import { loadWeightsFile, saveWeightsFile } from './weights-file.js';

let directory = '';
beforeAll(async () => {
  await useCpu();
  directory = await mkdtemp(join(tmpdir(), 'emerge-weights-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('saveWeightsFile / loadWeightsFile', () => {
  it('writes a safetensors file and reads it back into another model', async () => {
    const options = { cell: 'gru', inputSize: 2, hiddenSize: 3, outputSize: 2 } as const;
    const source = createRecurrent({ ...options, seed: 1 });
    const target = createRecurrent({ ...options, seed: 2 });
    const path = join(directory, 'nested', 'gru.safetensors');
    await saveWeightsFile(path, source, { cell: 'gru' });
    const { tensors, metadata } = decodeSafetensors(new Uint8Array(await readFile(path)));
    expect(metadata).toEqual({ cell: 'gru' });
    expect([...tensors.keys()]).toEqual([...source.variables.keys()]);
    await loadWeightsFile(path, target);
    for (const [name, variable] of source.variables) {
      expect(Array.from(target.variables.get(name)?.dataSync() ?? [])).toEqual(
        Array.from(variable.dataSync()),
      );
    }
    source.dispose();
    target.dispose();
    expect(tf.memory().numTensors).toBe(0);
  });
});
