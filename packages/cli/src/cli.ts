import { checkFigures } from './commands/check.js';
import { type CommandContext, generateFigures } from './commands/generate.js';
import { listFigures } from './commands/list.js';
import { cliVersion } from './commands/versions.js';
import { presets } from './figure.js';
import { figures } from './figures/index.js';
import { parseCliOptions } from './options.js';
import { UsageError } from './usage-error.js';

/** The context commands run in; see {@link CommandContext}. */
export type CliContext = CommandContext & {
  /** Environment variables (array-job indices for `--shard /N`). */
  environment?: Record<string, string | undefined>;
};

const usage = `Usage: emerge-figures [ids...] [options]
       emerge-figures list [--json]
       emerge-figures check [ids...] [--out DIR] [--json]

Regenerates, by training real models, the figures behind the five causes of emergent abilities of large
models, each with claim checks computed from its own run. Writes DIR/<id>.json, .svg, .png and
DIR/index.html. Finished runs are cached in DIR/.cache, so an interrupted run resumes.

Commands:
  (ids...)            regenerate these figures (default: all), see "list"
  list                print the figure catalogue
  check               re-check the claims of figures already generated in DIR; exit 1 if one does not hold

Options:
  --preset P          ${presets.join(' | ')} (default quick: every claim should hold)
  --out DIR           output folder (default ./figures)
  --workers N         runs computed in parallel, one process each, shared by the figures in order
                      (default: number of cores)
  --shard I/N         compute only share I of N of the runs (I from 0); "/N" reads I from
                      JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or AWS_BATCH_JOB_ARRAY_INDEX;
                      a later call without --shard draws the figures from the cache
  --seed N            seed of every random draw (default 0)
  --format LIST       image formats besides JSON: svg,png (default svg,png)
  --lang en|zh        language of titles and captions (default en)
  --json              machine-readable output on stdout, no progress bars
  -h, --help          print this help
  -v, --version       print the version

Exit codes: 0 ok, 1 a claim does not hold (check), 2 bad usage or input, 3 a run failed,
130 interrupted (rerun the same command to resume).
Set EMERGE_DEBUG=1 to print the stack of a failure.
Figures: ${figures.map((figure) => figure.id).join(', ')}
`;

/**
 * Runs the command line with `args` (without `node` and the script path); resolves to the exit code.
 * @example
 * ```ts
 * import { runCli } from 'emerge-figures';
 *
 * let output = '';
 * const code = await runCli(['list', '--json'], {
 *   stdout: (text) => {
 *     output += text;
 *   },
 *   stderr: () => {},
 *   isTerminal: false,
 *   now: () => new Date(0),
 * });
 * code; // => 0
 * const ids = (JSON.parse(output) as { id: string }[]).map((figure) => figure.id); // ['gradient-flow', ...]
 * console.assert(code === 0 && ids.includes('double-descent'));
 * ```
 */
export async function runCli(args: readonly string[], context: CliContext): Promise<number> {
  try {
    const options = parseCliOptions(
      args,
      figures.map((figure) => figure.id),
      context.environment,
    );
    switch (options.command) {
      case 'help':
        context.stdout(usage);
        return 0;
      case 'version':
        context.stdout(`${cliVersion()}\n`);
        return 0;
      case 'list':
        return listFigures(options, context);
      case 'check':
        return await checkFigures(options, context);
      case 'generate':
        return await generateFigures(options, context);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      context.stderr(`emerge-figures: ${error.message}\n`);
      return 2;
    }
    if (context.signal?.aborted) {
      context.stderr(
        '\nemerge-figures: interrupted; finished runs are cached, run the same command to resume\n',
      );
      return 130;
    }
    throw error;
  }
}
