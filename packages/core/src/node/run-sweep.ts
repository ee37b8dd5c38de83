import { OptionError, requireIntegerInRange } from '../errors.js';
import type { JsonValue } from '../runner/canonical-json.js';
import type { RunSpec } from '../runner/run-key.js';
import type { Shard } from '../runner/shard.js';
import type { SweepEvent } from '../runner/sweep-events.js';
import { type PlannedRun, planSweep } from '../runner/sweep-plan.js';
import { DiskCache } from './disk-cache.js';
import { type RunJob, runInProcess, toRunJob } from './run-job.js';
import { SweepRunError } from './sweep-run-error.js';
import type { WorkerLease, WorkerPool } from './worker-pool.js';
import { WorkerProcess } from './worker-process.js';

/** Most workers accepted; far above the cores of one machine, low enough to catch a typo. */
const MAX_WORKERS = 256;

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Folder of the result cache, created if missing. Required. */
  cacheDir: string;
  /**
   * Version string hashed into every run key: change it when the code behind the runs changes what they
   * return (e.g. `${packageVersion}/${figureId}`). Required.
   */
  version: string;
  /**
   * Runs computed at the same time. `1` runs them one after another in this process; `N > 1` runs them in
   * N child processes (tfjs' wasm backend is single-threaded in Node, so this is how more cores get used).
   * Results are identical either way. Default: `1`.
   */
  workers?: number;
  /** Compute only this share of the runs (see `planSweep`). Default: every run. */
  shard?: Shard;
  /** Receives progress events; an exception thrown here rejects the sweep. Default: none. */
  onEvent?: (event: SweepEvent) => void;
  /**
   * Cancels the sweep: no new run starts, worker processes are killed (their runs are lost), a run in
   * this process (`workers: 1`) finishes first. Finished runs stay cached, so the same call later resumes.
   * The sweep rejects with the signal's reason. Default: none.
   */
  signal?: AbortSignal;
  /** Node flags for worker processes, e.g. `['--import', 'tsx']` to import TypeScript tasks. Default: `[]`. */
  workerExecArgv?: readonly string[];
  /**
   * Worker processes shared with sweeps running at the same time ({@link WorkerPool}), so a process
   * this sweep leaves idle while its last runs finish can start another sweep's runs. With a pool,
   * `workers` and `workerExecArgv` are not used, and cancelling kills the processes running this
   * sweep's runs. Default: none (the sweep starts its own `workers`).
   */
  pool?: WorkerPool;
  /** With `pool`: sweeps with a lower priority get free processes first. Default: `0`. */
  priority?: number;
  /** Clock for durations in milliseconds (injectable for tests). Default: `performance.now`. */
  now?: () => number;
}

/** The outcome of one run of a sweep. */
export interface SweepResult<Run extends RunSpec = RunSpec, Result = JsonValue> {
  run: Run;
  key: string;
  /** The run's result as stored in the cache (a JSON copy of what the run returned). */
  result: Result;
  /** Whether the result came from the cache instead of being computed now. */
  cached: boolean;
}

/** Where runs execute: this process, or one worker process. */
interface Executor {
  execute(job: RunJob): Promise<unknown>;
  kill(): void;
}

const inThisProcess: Executor = { execute: runInProcess, kill: () => {} };

/**
 * Runs a sweep: every run (or this shard's share) is looked up in the disk cache and computed only when
 * missing or damaged, in this process or in worker processes, with results written atomically as each
 * run finishes — so a sweep that is killed resumes where it stopped, and a later unsharded call after
 * all shards ran only reads.
 *
 * A run is `{ task, exportName, config, seed }`: `task` is the URL (or absolute path) of a module whose
 * export `exportName` is called as `fn(config, seed)` and returns JSON (or a promise of it). A run that
 * throws rejects the sweep with a {@link SweepRunError} naming it, after the runs in flight finish
 * (and are cached).
 *
 * @returns one result per input run, in input order; with `shard`, only that share's runs.
 * @throws {OptionError} for bad options or runs (checked before anything runs).
 * @example
 * ```ts
 * import { mkdtemp, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { runSweep } from '@emerge/core/node';
 *
 * const folder = await mkdtemp(join(tmpdir(), 'emerge-'));
 * // A run module: each run is a pure function of (config, seed) that returns JSON.
 * const task = join(folder, 'runs.mjs');
 * await writeFile(task, 'export function square(config, seed) { return { value: config.x ** 2 + seed }; }\n');
 * const runs = [1, 2, 3].map((x) => ({ task, exportName: 'square', config: { x }, seed: 0 }));
 * const options = { cacheDir: join(folder, 'cache'), version: 'example/1' };
 * const first = await runSweep(runs, options);
 * first.map((entry) => entry.result); // => [{ value: 1 }, { value: 4 }, { value: 9 }]
 * const again = await runSweep(runs, options); // every run now comes from the cache
 * console.assert(first.map((entry) => entry.result.value).join() === '1,4,9');
 * console.assert(again.every((entry) => entry.cached));
 * ```
 */
export async function runSweep<Run extends RunSpec, Result = JsonValue>(
  runs: readonly Run[],
  options: RunSweepOptions,
): Promise<SweepResult<Run, Result>[]> {
  const { cacheDir, version, shard, signal, workerExecArgv = [] } = options;
  const workers = requireIntegerInRange('workers', options.workers ?? 1, 1, MAX_WORKERS);
  const onEvent = options.onEvent ?? (() => {});
  const now = options.now ?? (() => performance.now());
  const cache = new DiskCache(cacheDir);
  const plan = planSweep(runs, { version, shard });
  const jobs = new Map(
    plan.runs.map((planned) => [planned.key, toRunJob(planned.run, `runs[${planned.positions[0]}]`)]),
  );
  if (signal !== undefined && !(signal instanceof AbortSignal))
    throw new OptionError('signal', 'an AbortSignal', signal);
  signal?.throwIfAborted();

  const startedAt = now();
  onEvent({
    type: 'sweep-start',
    runCount: plan.runs.length,
    distinctCount: plan.distinctCount,
    shard: plan.shard,
    workers: options.pool?.size ?? workers,
  });
  const results = new Map<string, { result: JsonValue; cached: boolean }>();
  const toCompute: PlannedRun<Run>[] = [];
  for (const planned of plan.runs) {
    signal?.throwIfAborted();
    const lookup = await cache.read(planned.key);
    const event = { run: planned.run, index: planned.positions[0] as number, key: planned.key };
    if (lookup.status === 'hit') {
      results.set(planned.key, { result: lookup.result, cached: true });
      onEvent({ type: 'run-cached', ...event });
      continue;
    }
    if (lookup.status === 'corrupt')
      onEvent({ type: 'run-corrupt', ...event, path: lookup.path, reason: lookup.reason });
    toCompute.push(planned);
  }

  const pool = options.pool;
  const ownExecutors: Executor[] =
    pool !== undefined
      ? []
      : workers === 1
        ? [inThisProcess]
        : Array.from(
            { length: Math.min(workers, toCompute.length) },
            () => new WorkerProcess(workerExecArgv),
          );
  const leased = new Set<WorkerLease>();
  /** Runs of this sweep that another sweep on the pool computes. */
  const waitingForOthers: Promise<void>[] = [];
  const killAll = () => {
    for (const executor of [...ownExecutors, ...leased]) executor.kill();
  };
  let failure: SweepRunError | undefined;
  // Set once the sweep settles, so a lane still finishing a run never starts (or respawns a worker for) another.
  let stopped = false;
  let nextRun = 0;
  const moreToRun = () => !stopped && failure === undefined && !signal?.aborted && nextRun < toCompute.length;
  /**
   * One lane: runs one after another on one executor — its own, or a process leased from the pool and
   * kept until this sweep has no run left to start (so other sweeps get it only then).
   */
  const computeUntilDone = async (own: Executor | undefined): Promise<void> => {
    if (!moreToRun()) return;
    const lease = own === undefined ? await (pool as WorkerPool).acquire(options.priority ?? 0) : undefined;
    if (lease) leased.add(lease);
    const executor = (own ?? lease) as Executor;
    try {
      while (moreToRun()) {
        const planned = toCompute[nextRun++] as PlannedRun<Run>;
        const event = { run: planned.run, index: planned.positions[0] as number, key: planned.key };
        const elsewhere = pool?.resultOf(planned.key);
        if (elsewhere !== undefined) {
          // Another sweep on the pool computes this run: take its result when it is cached.
          waitingForOthers.push(
            elsewhere.then(
              (result) => {
                results.set(planned.key, { result, cached: true });
                onEvent({ type: 'run-cached', ...event });
              },
              (error: unknown) => {
                failure ??= new SweepRunError(planned.run, event.index, planned.key, error);
              },
            ),
          );
          continue;
        }
        let settle: { resolve(result: JsonValue): void; reject(error: unknown): void } | undefined;
        pool?.recordRun(planned.key, new Promise((resolve, reject) => (settle = { resolve, reject })));
        onEvent({ type: 'run-start', ...event });
        const runStartedAt = now();
        try {
          const returned = await executor.execute(jobs.get(planned.key) as RunJob);
          const result = await cache.write(planned.key, planned.identity, returned);
          results.set(planned.key, { result, cached: false });
          settle?.resolve(result);
        } catch (error) {
          settle?.reject(error);
          failure ??= new SweepRunError(planned.run, event.index, planned.key, error);
          return;
        }
        onEvent({ type: 'run-finish', ...event, durationMs: now() - runStartedAt });
      }
    } finally {
      if (lease) {
        leased.delete(lease);
        lease.release();
      }
    }
  };
  const lanes =
    pool === undefined
      ? ownExecutors.map((executor) => computeUntilDone(executor))
      : Array.from({ length: Math.min(pool.size, toCompute.length) }, () => computeUntilDone(undefined));
  signal?.addEventListener('abort', killAll, { once: true });
  try {
    await Promise.all(lanes);
    await Promise.all(waitingForOthers);
  } finally {
    stopped = true;
    signal?.removeEventListener('abort', killAll);
    killAll();
  }
  signal?.throwIfAborted();
  if (failure) throw failure;

  onEvent({
    type: 'sweep-finish',
    runCount: plan.runs.length,
    cachedCount: plan.runs.length - toCompute.length + waitingForOthers.length,
    computedCount: toCompute.length - waitingForOthers.length,
    durationMs: now() - startedAt,
  });
  return plan.runs
    .flatMap((planned) => planned.positions.map((position) => ({ position, key: planned.key })))
    .sort((first, second) => first.position - second.position)
    .map(({ position, key }) => {
      const { result, cached } = results.get(key) as { result: JsonValue; cached: boolean };
      return { run: runs[position] as Run, key, result: result as Result, cached };
    });
}
