import { DEFAULT_EXPORT_NAME, type RunSpec } from '../runner/run-key.js';

/** Longest config excerpt put in an error message; the whole run is on the error's `run` field. */
const CONFIG_EXCERPT_LENGTH = 200;

/**
 * The error a sweep rejects with when one of its runs throws (or its worker dies): it names the run,
 * so the failing setting can be rerun alone. The run's own error is the `cause`.
 * @example
 * ```ts
 * import { mkdtemp, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { runSweep, SweepRunError } from '@emerge/core/node';
 *
 * const folder = await mkdtemp(join(tmpdir(), 'emerge-'));
 * const task = join(folder, 'runs.mjs');
 * await writeFile(task, 'export default (config) => { if (config.x === 2) throw new Error("diverged"); return config.x; };\n');
 * const runs = [1, 2, 3].map((x) => ({ task, config: { x }, seed: 0 }));
 * let caught: unknown;
 * try {
 *   await runSweep(runs, { cacheDir: join(folder, 'cache'), version: 'example' });
 * } catch (error) {
 *   caught = error; // message: 'run 1 (default of …/runs.mjs, seed 0, config {"x":2}) failed: diverged'
 * }
 * console.assert(caught instanceof SweepRunError && caught.index === 1);
 * ```
 */
export class SweepRunError extends Error {
  /** The run that failed. */
  readonly run: RunSpec;
  /** Its position in the input list (first appearance). */
  readonly index: number;
  /** Its cache key. */
  readonly key: string;

  constructor(run: RunSpec, index: number, key: string, cause: unknown) {
    const config = JSON.stringify(run.config) ?? String(run.config);
    const excerpt =
      config.length > CONFIG_EXCERPT_LENGTH ? `${config.slice(0, CONFIG_EXCERPT_LENGTH)}...` : config;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `run ${index} (${run.exportName ?? DEFAULT_EXPORT_NAME} of ${run.task}, seed ${run.seed}, config ${excerpt}) failed: ${reason}`,
      { cause },
    );
    this.name = 'SweepRunError';
    this.run = run;
    this.index = index;
    this.key = key;
  }
}
