import { OptionError } from '../errors.js';
import { type RunSpec, runIdentityJson } from './run-key.js';
import { sha256Hex } from './sha256.js';
import { type Shard, validateShard } from './shard.js';

/** One distinct run of a sweep, with where it appears in the input. */
export interface PlannedRun<Run extends RunSpec = RunSpec> {
  /** The run (its first appearance when the input lists it more than once). */
  run: Run;
  /** The run's cache key, see {@link runKey}. */
  key: string;
  /** The run's identity (config, export name, seed, version) as canonical JSON, stored beside results. */
  identity: string;
  /** Every position of the input holding this run; a run listed twice is computed once. */
  positions: number[];
}

/** Options of {@link planSweep}. */
export interface PlanSweepOptions {
  /** Version string hashed into every run key, see {@link runKey}. Required. */
  version: string;
  /** Compute only this share of the runs. Default: no sharding (every run). */
  shard?: Shard;
}

/** What a sweep (or one shard of it) has to do. */
export interface SweepPlan<Run extends RunSpec = RunSpec> {
  /** The distinct runs of this share, in order of first appearance in the input. */
  runs: PlannedRun<Run>[];
  /** Number of runs in the input, counting repeats, across all shards. */
  inputCount: number;
  /** Number of distinct runs across all shards. */
  distinctCount: number;
  /** The shard planned, if any. */
  shard: Shard | undefined;
}

/**
 * Keys every run, merges repeats and picks this shard's share. Shares are dealt by the sorted order of
 * run keys (key number `i` goes to shard `i mod count`), so every machine computes the same split
 * whatever order it built the run list in, repeats land in one shard, and shares differ in size by at
 * most one run.
 *
 * @throws {OptionError} for a bad shard, version, seed or a config that is not JSON (naming `runs[i]`).
 * @example
 * ```ts
 * import { planSweep } from '@emerge/core';
 *
 * const runs = [8, 16, 32, 64, 128, 256].map((width) => ({ task: '/runs.js', config: { width }, seed: 0 }));
 * const plan = planSweep(runs, { version: '0.1.0/fig-scaling', shard: { index: 0, count: 3 } });
 * plan.runs.length; // => 2: a third of the 6 distinct runs
 * console.assert(plan.runs.length === 2 && plan.distinctCount === 6);
 * ```
 */
export function planSweep<Run extends RunSpec>(
  runs: readonly Run[],
  options: PlanSweepOptions,
): SweepPlan<Run> {
  if (!Array.isArray(runs)) throw new OptionError('runs', 'an array of runs', runs);
  const shard = options.shard === undefined ? undefined : validateShard(options.shard);
  const byKey = new Map<string, PlannedRun<Run>>();
  runs.forEach((run, position) => {
    const identity = runIdentityJson(run, options.version, `runs[${position}]`);
    const key = sha256Hex(identity);
    const planned = byKey.get(key);
    if (planned) planned.positions.push(position);
    else byKey.set(key, { run, key, identity, positions: [position] });
  });
  const distinct = [...byKey.values()];
  let share = distinct;
  if (shard) {
    const sortedKeys = distinct.map((planned) => planned.key).sort();
    const ownKeys = new Set(sortedKeys.filter((_, rank) => rank % shard.count === shard.index));
    share = distinct.filter((planned) => ownKeys.has(planned.key));
  }
  return { runs: share, inputCount: runs.length, distinctCount: distinct.length, shard };
}
