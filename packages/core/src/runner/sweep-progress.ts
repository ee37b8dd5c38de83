import { requireIntegerInRange, requireNumberInRange } from '../errors.js';
import type { SweepEvent } from './sweep-events.js';

/** Inputs of {@link estimateEta}. */
export interface EtaInput {
  /** Runs computed so far (cache hits excluded: they say nothing about compute time). */
  computedCount: number;
  /** Sum of the durations of those runs, in milliseconds. */
  computedDurationMs: number;
  /** Runs still to compute, including the ones in flight. */
  remainingCount: number;
  /** Runs computed at the same time. */
  workers: number;
}

/**
 * A rough time to finish: the mean duration of the runs computed so far times the number of waves
 * still needed (`ceil(remaining / workers)`). It assumes runs cost about the same; sweeps over model
 * size do not, so treat it as an order of magnitude early on.
 *
 * @returns milliseconds, `0` when nothing remains, `undefined` before the first run has finished.
 * @example
 * ```ts
 * estimateEta({ computedCount: 4, computedDurationMs: 8000, remainingCount: 5, workers: 2 }); // 6000
 * ```
 */
export function estimateEta(input: EtaInput): number | undefined {
  requireIntegerInRange('computedCount', input.computedCount, 0, Number.MAX_SAFE_INTEGER);
  requireNumberInRange('computedDurationMs', input.computedDurationMs, 0, Number.MAX_VALUE);
  requireIntegerInRange('remainingCount', input.remainingCount, 0, Number.MAX_SAFE_INTEGER);
  requireIntegerInRange('workers', input.workers, 1, Number.MAX_SAFE_INTEGER);
  if (input.remainingCount === 0) return 0;
  if (input.computedCount === 0) return undefined;
  const meanDurationMs = input.computedDurationMs / input.computedCount;
  return meanDurationMs * Math.ceil(input.remainingCount / input.workers);
}

/** A snapshot of a sweep's progress, see {@link createSweepProgress}. */
export interface SweepProgress {
  /** Distinct runs in this share. */
  runCount: number;
  cachedCount: number;
  computedCount: number;
  /** Runs started and not yet finished. */
  runningCount: number;
  /** Estimated milliseconds to finish, see {@link estimateEta}; `undefined` until a run has finished. */
  etaMs: number | undefined;
}

/**
 * Folds sweep events into counts and an ETA, for a progress line: pass `update` as (or call it from)
 * the sweep's `onEvent`.
 * @example
 * ```ts
 * const progress = createSweepProgress();
 * await runSweep(runs, { cacheDir, version, onEvent: (event) => {
 *   const { computedCount, cachedCount, runCount, etaMs } = progress.update(event);
 *   process.stderr.write(`\r${computedCount + cachedCount}/${runCount} eta ${Math.round((etaMs ?? 0) / 1000)} s`);
 * } });
 * ```
 */
export function createSweepProgress(): {
  update(event: SweepEvent): SweepProgress;
  snapshot(): SweepProgress;
} {
  let runCount = 0;
  let workers = 1;
  let cachedCount = 0;
  let computedCount = 0;
  let runningCount = 0;
  let computedDurationMs = 0;
  const snapshot = (): SweepProgress => ({
    runCount,
    cachedCount,
    computedCount,
    runningCount,
    etaMs: estimateEta({
      computedCount,
      computedDurationMs,
      remainingCount: Math.max(0, runCount - cachedCount - computedCount),
      workers,
    }),
  });
  return {
    snapshot,
    update(event) {
      switch (event.type) {
        case 'sweep-start':
          runCount = event.runCount;
          workers = event.workers;
          break;
        case 'run-cached':
          cachedCount++;
          break;
        case 'run-start':
          runningCount++;
          break;
        case 'run-finish':
          runningCount--;
          computedCount++;
          computedDurationMs += event.durationMs;
          break;
        default:
          break;
      }
      return snapshot();
    },
  };
}
