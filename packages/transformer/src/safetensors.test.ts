import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMlp } from './mlp.js';
import { decodeSafetensors, encodeSafetensors, loadWeights, saveWeights } from './safetensors.js';
import { expectNoLeak, useCpu } from './test-helpers.js';
import { createTransformer } from './transformer.js';

beforeAll(useCpu);

describe('encodeSafetensors / decodeSafetensors', () => {
  it('writes the documented layout byte for byte', () => {
    const bytes = encodeSafetensors(
      new Map([['w', { dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) }]]),
    );
    const header = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const padded = Math.ceil(header.length / 8) * 8;
    expect(bytes.length).toBe(8 + padded + 8);
    const view = new DataView(bytes.buffer);
    expect(Number(view.getBigUint64(0, true))).toBe(padded);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + padded))).toBe(header.padEnd(padded, ' '));
    expect(Array.from(bytes.subarray(8 + padded))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]); // 1.0f, -2.0f little-endian
  });

  it('round-trips every dtype and the metadata', () => {
    const tensors = new Map([
      ['a', { dtype: 'F32' as const, shape: [2, 2], data: new Float32Array([1.5, -0.25, 3, 1e-8]) }],
      ['b', { dtype: 'F64' as const, shape: [3], data: new Float64Array([Math.PI, -1e300, 0]) }],
      ['c', { dtype: 'I32' as const, shape: [2], data: new Int32Array([-7, 2 ** 31 - 1]) }],
      ['d', { dtype: 'U8' as const, shape: [1, 1, 3], data: new Uint8Array([0, 128, 255]) }],
      ['e', { dtype: 'BOOL' as const, shape: [], data: new Uint8Array([1]) }],
    ]);
    const { tensors: decoded, metadata } = decodeSafetensors(encodeSafetensors(tensors, { seed: '4' }));
    expect(metadata).toEqual({ seed: '4' });
    expect(decoded).toEqual(tensors);
  });

  it('reads a file encoded independently in Python from the format definition', () => {
    const bytes = new Uint8Array(
      readFileSync(new URL('./fixtures/python-written.safetensors', import.meta.url)),
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ writer: 'make-goldens.py' });
    expect(tensors.get('matrix')).toEqual({
      dtype: 'F32',
      shape: [2, 3],
      data: new Float32Array([1.5, -2, 0.25, 3, -0.5, 8]),
    });
    expect(tensors.get('counts')).toEqual({
      dtype: 'I32',
      shape: [4],
      data: new Int32Array([7, -1, 0, 2147483647]),
    });
  });

  it('rejects truncated or inconsistent files and bad inputs', () => {
    const bytes = encodeSafetensors(
      new Map([['w', { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) }]]),
    );
    expect(() => decodeSafetensors(bytes.subarray(0, 4))).toThrow(/bytes/);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 1))).toThrow(/data_offsets of w/);
    expect(() =>
      encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [3], data: new Float32Array(2) }]])),
    ).toThrow(/tensors\.w\.data/);
  });
});

describe('saveWeights / loadWeights', () => {
  it('round-trips a Transformer exactly (same outputs after loading into a differently seeded model)', () => {
    const options = { vocabSize: 6, contextLength: 4, modelSize: 8, layerCount: 1, headCount: 2 };
    const source = createTransformer({ ...options, seed: 1 });
    const target = createTransformer({ ...options, seed: 2 });
    const input = tf.tensor2d([[1, 5, 0, 3]], undefined, 'int32');
    const bytes = saveWeights(source, { model: source.name });
    expect(decodeSafetensors(bytes).metadata).toEqual({ model: 'transformer-d8-l1-h2' });
    loadWeights(target, bytes);
    const [expected, actual] = [source.forward(input), target.forward(input)];
    expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
    expectNoLeak(() => {
      loadWeights(target, bytes);
      return undefined;
    });
    tf.dispose([input, expected, actual]);
    source.dispose();
    target.dispose();
  });

  it('refuses weights with a missing, misshapen or extra tensor', () => {
    const small = createMlp({ inputSize: 2, hiddenSizes: [3], outputSize: 1, seed: 1 });
    const wider = createMlp({ inputSize: 2, hiddenSizes: [4], outputSize: 1, seed: 1 });
    const deeper = createMlp({ inputSize: 2, hiddenSizes: [3, 3], outputSize: 1, seed: 1 });
    expect(() => loadWeights(small, saveWeights(wider))).toThrow(
      /weights\.layers\.0\.weight must be an F32 or F64 tensor of shape \[2, 3\]/,
    );
    expect(() => loadWeights(deeper, saveWeights(small))).toThrow(
      /weights\.layers\.1\.weight.*got "F32 \[3, 1\]"/,
    );
    const options = { vocabSize: 4, contextLength: 2, modelSize: 2, layerCount: 0, headCount: 1, seed: 1 };
    const untied = createTransformer(options);
    const tied = createTransformer({ ...options, tiedHead: true });
    expect(() => loadWeights(untied, saveWeights(tied))).toThrow(/weights\.head\.weight .*got "missing"/);
    expect(() => loadWeights(tied, saveWeights(untied))).toThrow(
      /weights must be only tensors the model has, got \["head.weight"\]/,
    );
    untied.dispose();
    tied.dispose();
    for (const model of [small, wider, deeper]) model.dispose();
  });
});
