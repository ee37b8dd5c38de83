import { type ShuffledBatchOptions, shuffledBatches } from './shuffled-batches.js';

/**
 * The batches of one epoch ({@link shuffledBatches}), each turned into whatever `build` makes of its
 * indices (typically tensors) only when the iteration reaches it, so an epoch never holds more than the
 * batch in hand. The caller disposes what `build` returns.
 * @example
 * ```ts
 * const batches = lazyBatches({ count: 1000, batchSize: 32, seed: 1 }, (indices) =>
 *   tf.tensor2d(gatherRows(data, indices), [indices.length, width]),
 * );
 * for (const x of batches) { ...; x.dispose(); }
 * ```
 */
export function* lazyBatches<Batch>(
  options: ShuffledBatchOptions,
  build: (indices: Int32Array) => Batch,
): Generator<Batch, void, undefined> {
  for (const indices of shuffledBatches(options)) yield build(indices);
}
