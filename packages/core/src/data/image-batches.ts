import { takeImages } from './image-set.js';
import { type ImageTensors, toImageTensors } from './image-tensors.js';
import { lazyBatches } from './lazy-batches.js';
import type { LabelledImages } from './mnist.js';
import type { ShuffledBatchOptions } from './shuffled-batches.js';

/** One batch of images as tensors, with the indices (into the set) it was built from. */
export interface ImageBatch extends ImageTensors {
  readonly indices: Int32Array;
}

/**
 * The batches of one epoch of an image set as tensors, created lazily ({@link lazyBatches}): a batch's
 * tensors exist only from the moment the iteration reaches it. The caller disposes each batch
 * (`tf.dispose([batch.x, batch.y])`) when done with it.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { imageBatches, loadMnist, splitMnist } from '@emerge/core';
 *
 * const { train } = splitMnist(await loadMnist(), { trainSize: 256, testSize: 100, seed: 1 });
 * let batches = 0;
 * for (const batch of imageBatches(train, { batchSize: 128, seed: 1, epoch: 0 })) {
 *   batch.x.shape; // => [128, 784]
 *   tf.dispose([batch.x, batch.y]); // the caller owns each batch's tensors
 *   batches++;
 * }
 * console.assert(batches === 2);
 * ```
 */
export function* imageBatches(
  set: LabelledImages,
  options: Omit<ShuffledBatchOptions, 'count'>,
): Generator<ImageBatch, void, undefined> {
  yield* lazyBatches({ ...options, count: set.count }, (indices) => ({
    ...toImageTensors(takeImages(set, indices)),
    indices,
  }));
}
