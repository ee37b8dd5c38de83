import type { RunSpec } from './run-key.js';
import type { Shard } from './shard.js';

/** What every per-run event carries: the run, where it first appears in the input, and its key. */
export interface RunEventBase {
  run: RunSpec;
  /** Position of the run's first appearance in the input list. */
  index: number;
  key: string;
}

/**
 * Progress of a sweep, delivered to the `onEvent` callback; the library prints nothing itself.
 * Events come in this order: `sweep-start`; `run-cached` for each cache hit and `run-corrupt` for each
 * damaged entry; then `run-start` and `run-finish` for each run computed (interleaved across workers);
 * `sweep-finish` only when every run succeeded.
 */
export type SweepEvent =
  | {
      type: 'sweep-start';
      /** Distinct runs in this share (the whole sweep when not sharded). */
      runCount: number;
      /** Distinct runs across all shards. */
      distinctCount: number;
      shard: Shard | undefined;
      /** Runs computed at the same time. */
      workers: number;
    }
  | (RunEventBase & { type: 'run-cached' })
  | (RunEventBase & {
      type: 'run-corrupt';
      /** The cache file that could not be used; the run is computed again and the file replaced. */
      path: string;
      /** Why, e.g. `not valid JSON (truncated?)` or `checksum mismatch`. */
      reason: string;
    })
  | (RunEventBase & { type: 'run-start' })
  | (RunEventBase & {
      type: 'run-finish' /** Wall time of the run, from start to result. */;
      durationMs: number;
    })
  | {
      type: 'sweep-finish';
      runCount: number;
      cachedCount: number;
      computedCount: number;
      durationMs: number;
    };

/** The `type` of a {@link SweepEvent}. */
export type SweepEventType = SweepEvent['type'];
