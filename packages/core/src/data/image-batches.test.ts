import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageBatches } from './image-batches.js';
import { shuffledBatches } from './shuffled-batches.js';

/** Seven 2-pixel images whose pixels are (index, -index) and whose labels are index. */
const set = {
  images: Float32Array.from(
    { length: 14 },
    (_, position) => (position % 2 === 0 ? 1 : -1) * Math.floor(position / 2),
  ),
  labels: Uint8Array.from({ length: 7 }, (_, index) => index),
  count: 7,
};

describe('imageBatches', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    await tf.ready();
  });

  it('yields the batches of shuffledBatches with matching pixels and labels', () => {
    const expected = shuffledBatches({ count: 7, batchSize: 3, seed: 2, epoch: 1 });
    const batches = [...imageBatches(set, { batchSize: 3, seed: 2, epoch: 1 })];
    expect(batches.map((batch) => Array.from(batch.indices))).toEqual(
      expected.map((batch) => Array.from(batch)),
    );
    for (const batch of batches) {
      const indices = Array.from(batch.indices);
      expect(batch.x.shape).toEqual([indices.length, 2]);
      expect(Array.from(batch.x.dataSync())).toEqual(indices.flatMap((index) => [index, -index]));
      expect(Array.from(batch.y.dataSync())).toEqual(indices);
      expect(batch.y.dtype).toBe('int32');
      tf.dispose([batch.x, batch.y]);
    }
  });

  it('creates tensors only for the batch in hand and leaks nothing once each is disposed', () => {
    const before = tf.memory().numTensors;
    const iterator = imageBatches(set, { batchSize: 2, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const first = iterator.next();
    expect(tf.memory().numTensors).toBe(before + 2);
    if (first.done !== true) tf.dispose([first.value.x, first.value.y]);
    for (const batch of iterator) {
      expect(tf.memory().numTensors).toBe(before + 2);
      tf.dispose([batch.x, batch.y]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
