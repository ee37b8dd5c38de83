import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toImageTensors } from './image-tensors.js';

describe('toImageTensors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('shapes pixels as [count, pixels] float32 and labels as int32, without leaking', () => {
    const before = tf.memory().numTensors;
    const set = {
      images: Float32Array.from([0, 0.5, 1, 0.25, 0.75, 0]),
      labels: Uint8Array.from([3, 9]),
      count: 2,
    };
    const { x, y } = toImageTensors(set);
    expect(x.shape).toEqual([2, 3]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('int32');
    expect(Array.from(x.dataSync())).toEqual([0, 0.5, 1, 0.25, 0.75, 0]);
    expect(Array.from(y.dataSync())).toEqual([3, 9]);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a pixel buffer that does not divide into the count', () => {
    expect(() =>
      toImageTensors({ images: new Float32Array(5), labels: new Uint8Array(2), count: 2 }),
    ).toThrow(/multiple of count/);
  });
});
