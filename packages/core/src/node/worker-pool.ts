import { requireIntegerInRange } from '../errors.js';
import type { JsonValue } from '../runner/canonical-json.js';
import type { RunJob } from './run-job.js';
import { WorkerProcess } from './worker-process.js';

/** Most workers a pool accepts; far above the cores of one machine, low enough to catch a typo. */
export const MAX_POOL_WORKERS = 256;

/** One worker process lent by a {@link WorkerPool} until `release()`. */
export interface WorkerLease {
  /** Runs a job on the leased process (one at a time). */
  execute(job: RunJob): Promise<unknown>;
  /** Kills the leased process (a job in flight rejects); the pool starts a new one when it is next used. */
  kill(): void;
  /** Gives the process back to the pool; call exactly once. */
  release(): void;
}

interface Waiter {
  priority: number;
  order: number;
  grant(worker: WorkerProcess): void;
  refuse(error: Error): void;
}

/**
 * A fixed set of worker processes shared by several sweeps at once (`runSweep`'s `pool` option), so the
 * processes one sweep leaves idle while its last runs finish start the next sweep's runs instead of
 * waiting. Waiting sweeps are served lowest `priority` first, then in the order they asked, so sweeps
 * given priorities 0, 1, 2, … finish in that order as far as possible. Processes start on first use.
 * @example
 * ```ts
 * import { WorkerPool } from '@emerge/core/node';
 *
 * // Two processes for every sweep started with { pool, priority }: runSweep(runs, { cacheDir, version, pool, priority: 0 }).
 * const pool = new WorkerPool(2);
 * const lease = await pool.acquire(0); // no process starts until a job runs on it
 * lease.release();
 * pool.close(); // kills the processes; later requests are refused
 * console.assert(pool.size === 2);
 * ```
 */
export class WorkerPool {
  readonly size: number;
  private readonly idle: WorkerProcess[];
  private readonly lent = new Set<WorkerProcess>();
  private readonly waiting: Waiter[] = [];
  private requests = 0;
  private closed = false;
  /** Results of the runs computed through this pool, by run key (pending while they compute). */
  private readonly runs = new Map<string, Promise<JsonValue>>();

  /**
   * @param size worker processes, 1 to {@link MAX_POOL_WORKERS}.
   * @param execArgv Node flags for the processes, e.g. `['--import', 'tsx']`. Default: `[]`.
   * @throws {OptionError} for a bad size.
   */
  constructor(size: number, execArgv: readonly string[] = []) {
    this.size = requireIntegerInRange('workers', size, 1, MAX_POOL_WORKERS);
    this.idle = Array.from({ length: size }, () => new WorkerProcess(execArgv));
  }

  /** Resolves with a lease on a free process; rejects once the pool is closed. */
  acquire(priority = 0): Promise<WorkerLease> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({
        priority,
        order: this.requests++,
        grant: (worker) => resolve(this.lease(worker)),
        refuse: reject,
      });
      this.dispatch();
    });
  }

  /**
   * The result of the run with this key when a sweep on this pool computes (or computed) it, else
   * undefined: sweeps that share runs (figures that reuse another figure's trained models) wait for it
   * instead of computing it twice.
   */
  resultOf(key: string): Promise<JsonValue> | undefined {
    return this.runs.get(key);
  }

  /** Records that a sweep computes the run with this key; `result` settles when it is cached. */
  recordRun(key: string, result: Promise<JsonValue>): void {
    result.catch(() => {}); // a failure is the computing sweep's to report; waiters see it too
    this.runs.set(key, result);
  }

  /** Kills every process and refuses every waiting request; leases still out may be released. */
  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.refuse(new Error('the worker pool is closed'));
    for (const worker of this.idle) worker.kill();
    for (const worker of this.lent) worker.kill();
  }

  private lease(worker: WorkerProcess): WorkerLease {
    this.lent.add(worker);
    let released = false;
    return {
      execute: (job) => worker.execute(job),
      kill: () => worker.kill(),
      release: () => {
        if (released) return;
        released = true;
        this.lent.delete(worker);
        if (this.closed) worker.kill();
        else this.idle.push(worker);
        this.dispatch();
      },
    };
  }

  private dispatch(): void {
    while (!this.closed && this.idle.length > 0 && this.waiting.length > 0) {
      let best = 0;
      for (let index = 1; index < this.waiting.length; index++) {
        const candidate = this.waiting[index] as Waiter;
        const current = this.waiting[best] as Waiter;
        if (
          candidate.priority < current.priority ||
          (candidate.priority === current.priority && candidate.order < current.order)
        ) {
          best = index;
        }
      }
      const [waiter] = this.waiting.splice(best, 1) as [Waiter];
      waiter.grant(this.idle.shift() as WorkerProcess);
    }
  }
}
