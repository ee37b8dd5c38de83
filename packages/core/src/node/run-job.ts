import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OptionError } from '../errors.js';
import { DEFAULT_EXPORT_NAME, type RunSpec } from '../runner/run-key.js';

/** A run as a worker receives it: everything needed to import the run function and call it. */
export interface RunJob {
  /** Absolute URL of the module (`file:` or `data:`). */
  moduleUrl: string;
  exportName: string;
  config: unknown;
  seed: number;
}

/**
 * Turns a run into a job, resolving its task to a URL that imports the same module from any process.
 * @throws {OptionError} when the task is neither an absolute path nor a `file:`/`data:` URL: a bare or
 * relative specifier would resolve differently in this package, in a worker and in the caller.
 */
export function toRunJob(run: RunSpec, label: string): RunJob {
  const { task } = run;
  const exportName = run.exportName ?? DEFAULT_EXPORT_NAME;
  if (typeof task === 'string' && isAbsolute(task)) {
    return { moduleUrl: pathToFileURL(task).href, exportName, config: run.config, seed: run.seed };
  }
  if (typeof task === 'string' && URL.canParse(task)) {
    const url = new URL(task);
    if (url.protocol === 'file:' || url.protocol === 'data:') {
      return { moduleUrl: url.href, exportName, config: run.config, seed: run.seed };
    }
  }
  throw new OptionError(
    `${label}.task`,
    'a file: URL or an absolute path of the module exporting the run',
    task,
  );
}

/**
 * Runs a job in this process through the same import a worker uses. The result is structured-cloned,
 * as it would be on its way back from a worker, so `workers: 1` and `workers: N` see the same values.
 */
export async function runInProcess(job: RunJob): Promise<unknown> {
  const module = (await import(/* @vite-ignore */ job.moduleUrl)) as Record<string, unknown>;
  const run = module[job.exportName];
  if (typeof run !== 'function') {
    throw new TypeError(`${job.moduleUrl} does not export a function named ${job.exportName}`);
  }
  return structuredClone(await run(job.config, job.seed));
}
