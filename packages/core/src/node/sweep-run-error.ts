import { DEFAULT_EXPORT_NAME, type RunSpec } from '../runner/run-key.js';

/** Longest config excerpt put in an error message; the whole run is on the error's `run` field. */
const CONFIG_EXCERPT_LENGTH = 200;

/**
 * The error a sweep rejects with when one of its runs throws (or its worker dies): it names the run,
 * so the failing setting can be rerun alone. The run's own error is the `cause`.
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
