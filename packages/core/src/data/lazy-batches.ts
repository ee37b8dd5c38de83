import { type ShuffledBatchOptions, shuffledBatches } from './shuffled-batches.js';

/**
 * The batches of one epoch ({@link shuffledBatches}), each turned into whatever `build` makes of its
 * indices (typically tensors) only when the iteration reaches it, so an epoch never holds more than the
 * batch in hand. The caller disposes what `build` returns.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { lazyBatches } from '@emerge/core';
 *
 * const values = Float32Array.from({ length: 10 }, (_, index) => index);
 * const batches = lazyBatches({ count: 10, batchSize: 4, seed: 1 }, (indices) =>
 *   tf.tensor1d(Array.from(indices, (index) => values[index]!)),
 * );
 * const sizes: number[] = [];
 * for (const x of batches) {
 *   sizes.push(x.size); // only this batch's tensor exists now
 *   x.dispose();
 * }
 * sizes; // => [4, 4, 2]
 * console.assert(sizes.join() === '4,4,2');
 * ```
 */
export function* lazyBatches<Batch>(
  options: ShuffledBatchOptions,
  build: (indices: Int32Array) => Batch,
): Generator<Batch, void, undefined> {
  for (const indices of shuffledBatches(options)) yield build(indices);
}
