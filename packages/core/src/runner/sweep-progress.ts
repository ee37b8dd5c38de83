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
 * import { estimateEta } from '@emerge/core';
 *
 * // 4 runs took 8 s (2 s each); 5 remain on 2 workers: 3 waves of 2 s.
 * estimateEta({ computedCount: 4, computedDurationMs: 8000, remainingCount: 5, workers: 2 }); // => 6000
 * console.assert(estimateEta({ computedCount: 4, computedDurationMs: 8000, remainingCount: 5, workers: 2 }) === 6000);
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
 * import { mkdtemp, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { createSweepProgress } from '@emerge/core';
 * import { runSweep } from '@emerge/core/node';
 *
 * const folder = await mkdtemp(join(tmpdir(), 'emerge-'));
 * const task = join(folder, 'runs.mjs');
 * await writeFile(task, 'export default (config) => config.x * 2;\n');
 * const runs = [1, 2, 3, 4].map((x) => ({ task, config: { x }, seed: 0 }));
 * const progress = createSweepProgress();
 * let line = '';
 * await runSweep(runs, {
 *   cacheDir: join(folder, 'cache'),
 *   version: 'example',
 *   onEvent: (event) => {
 *     const { computedCount, cachedCount, runCount } = progress.update(event);
 *     line = `${computedCount + cachedCount}/${runCount}`; // e.g. printed to stderr as a progress line
 *   },
 * });
 * line; // => '4/4'
 * console.assert(line === '4/4');
 * ```
 */
export function createSweepProgress(): {
  /** Folds one sweep event into the counts and returns the new snapshot. */
  update(event: SweepEvent): SweepProgress;
  /** The counts so far, without an event. */
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
