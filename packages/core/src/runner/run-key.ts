import { OptionError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './sha256.js';

/**
 * One run of a sweep: a pure function of (config, seed), named by the module that exports it so that a
 * worker process can import it (closures cannot be sent to another process).
 */
export interface RunSpec<Config = unknown> {
  /**
   * The module exporting the run function: a `file:` URL, e.g.
   * `new URL('./runs.js', import.meta.url).href`, or an absolute path. Not part of the run key, so the
   * same run hits the same cache entry from another checkout or machine.
   */
  task: string;
  /** Name of the exported function, called as `fn(config, seed)`. Default: `'default'`. */
  exportName?: string;
  /** The run's settings; must be JSON (see {@link canonicalJson}). */
  config: Config;
  /** The run's seed, a safe integer. */
  seed: number;
}

/** Default export name of a run function. */
export const DEFAULT_EXPORT_NAME = 'default';

/**
 * The identity of a run as canonical JSON, validating every part.
 * @param label names the run in error messages, e.g. `runs[3]`.
 */
export function runIdentityJson(run: RunSpec, version: string, label: string): string {
  if (typeof version !== 'string' || version.length === 0) {
    throw new OptionError('version', 'a non-empty string (e.g. package version and figure id)', version);
  }
  if (typeof run !== 'object' || run === null)
    throw new OptionError(label, 'a run { task, config, seed }', run);
  if (!Number.isSafeInteger(run.seed)) throw new OptionError(`${label}.seed`, 'a safe integer', run.seed);
  const exportName = run.exportName ?? DEFAULT_EXPORT_NAME;
  if (typeof exportName !== 'string' || exportName.length === 0) {
    throw new OptionError(`${label}.exportName`, 'a non-empty string', exportName);
  }
  const config = canonicalJson(run.config, `${label}.config`);
  return `{"config":${config},"exportName":${JSON.stringify(exportName)},"seed":${run.seed},"version":${JSON.stringify(version)}}`;
}

/**
 * The cache key of a run: the SHA-256 (hex) of its config in canonical JSON (keys sorted), its export
 * name, its seed and a version string. Change the version whenever the code behind a run changes what
 * it returns (e.g. pass the package version and the figure id), so stale results are never reused.
 *
 * @throws {OptionError} when the config is not JSON, the seed is not a safe integer or the version is empty.
 * @example
 * ```ts
 * import { runKey } from '@emerge/core';
 *
 * const run = { task: new URL('./runs.js', import.meta.url).href, exportName: 'train', config: { width: 64 }, seed: 1 };
 * const key = runKey(run, '0.1.0/fig-double-descent'); // 64 hex characters
 * // The task's location is not part of the key: the same run from another checkout hits the same entry.
 * console.assert(key.length === 64 && key === runKey({ ...run, task: '/elsewhere/runs.js' }, '0.1.0/fig-double-descent'));
 * ```
 */
export function runKey(run: RunSpec, version: string): string {
  return sha256Hex(runIdentityJson(run, version, 'run'));
}
