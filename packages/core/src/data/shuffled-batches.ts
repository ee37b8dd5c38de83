import { requireIntegerInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** Options of {@link shuffledBatches}. */
export interface ShuffledBatchOptions {
  /** Number of examples to batch, an integer >= 1. Required. */
  count: number;
  /** Examples per batch, an integer in [1, count]. Required. */
  batchSize: number;
  /** Seed of the run; together with `epoch` it fixes the order. Required. */
  seed: number;
  /** Epoch number, an integer >= 0; each epoch has its own order, reproducible on its own. Default: `0`. */
  epoch?: number;
  /** Whether to drop the last batch when it would be smaller than `batchSize`. Default: `false`. */
  dropLast?: boolean;
}

/**
 * The batches of one epoch: a seeded permutation of `0 .. count-1` cut into consecutive index arrays.
 * Every epoch's order derives from (seed, epoch) alone, so training can resume at any epoch and get the
 * same batches.
 * @throws OptionError for out-of-range options.
 * @example
 * ```ts
 * import { shuffledBatches } from '@emerge/core';
 *
 * const epoch0 = shuffledBatches({ count: 10, batchSize: 4, seed: 1, epoch: 0 });
 * epoch0.map((batch) => batch.length); // => [4, 4, 2]
 * // The same (seed, epoch) gives the same batches, so training can resume mid-run.
 * const again = shuffledBatches({ count: 10, batchSize: 4, seed: 1, epoch: 0 });
 * console.assert(epoch0.map(String).join('|') === again.map(String).join('|'));
 * ```
 */
export function shuffledBatches(options: ShuffledBatchOptions): Int32Array[] {
  const count = requireIntegerInRange('count', options.count, 1, 2 ** 31 - 1);
  const batchSize = requireIntegerInRange('batchSize', options.batchSize, 1, count);
  const epoch = requireIntegerInRange('epoch', options.epoch ?? 0, 0, Number.MAX_SAFE_INTEGER);
  const order = Int32Array.from(createRandom(options.seed).fork('batches').fork(epoch).permutation(count));
  const batches: Int32Array[] = [];
  for (let start = 0; start < count; start += batchSize) {
    if (options.dropLast === true && start + batchSize > count) break;
    batches.push(order.subarray(start, Math.min(count, start + batchSize)));
  }
  return batches;
}
