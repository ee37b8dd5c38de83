import { WORKLOAD_NAMES } from './workload-specs.js';

/** Options of one `npm run bench` invocation. */
export interface BenchOptions {
  /** Workloads to run, in suite order. Default: all five. */
  only: string[];
  /** Timed repetitions per workload after the warm-up. Default: each workload's own (3 to 10). */
  repeats: number | undefined;
  /** Whether to time the PyTorch reference too (when python3 can import torch). Default: `true`. */
  reference: boolean;
  /** Whether to also time the quick catalogue end to end (~25 minutes). Default: `false`. */
  catalogue: boolean;
  /**
   * With `catalogue`: the folder the catalogue's figures are written to and kept in (e.g. to compare
   * the figures' data with an earlier run), relative to the working directory. Default: a temporary
   * folder, removed afterwards.
   */
  catalogueOut: string | undefined;
  /** Whether to write the table into bench/README.md between its markers. Default: `false`. */
  writeReadme: boolean;
  /** Where the JSON results go, relative to the bench folder. Default: `results/latest.json`. */
  output: string;
  /** Print the usage and exit. Default: `false`. */
  help: boolean;
}

/** A bad command line; its message is one line that names the option. */
export class BenchArgumentError extends Error {
  override readonly name = 'BenchArgumentError';
}

/** The `--help` text. */
export const USAGE = `Usage: npm run bench [-- options]

Times five workloads (each in its own child process, on selectBackend()'s backend) and, when
/usr/bin/python3 can import torch, the same shapes in PyTorch on one CPU thread; prints a Markdown
table and writes the results as JSON.

Options:
  --only a,b          workloads to run (default: all): ${WORKLOAD_NAMES.join(', ')}
  --repeats N         timed repetitions per workload after one warm-up (default: 3 to 10 by workload)
  --no-reference      skip the PyTorch reference
  --catalogue         also time \`emerge-figures --preset quick\` end to end (~20 minutes)
  --catalogue-out DIR with --catalogue: write the figures to DIR and keep them (default: a temporary folder)
  --write-readme      write the table into bench/README.md between its markers
  --output FILE       JSON results, relative to bench/ (default: results/latest.json)
  --help              print this text
`;

function requireValue(flag: string, value: string | undefined): string {
  if (value === undefined || value.startsWith('--')) throw new BenchArgumentError(`${flag} needs a value`);
  return value;
}

function parseRepeats(value: string): number {
  const repeats = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(repeats) || repeats < 1 || repeats > 1000) {
    throw new BenchArgumentError(`--repeats must be an integer in [1, 1000], got "${value}"`);
  }
  return repeats;
}

function parseOnly(value: string): string[] {
  const names = value.split(',').filter((name) => name.length > 0);
  const unknown = names.find((name) => !WORKLOAD_NAMES.includes(name));
  if (unknown !== undefined) {
    throw new BenchArgumentError(
      `--only: unknown workload "${unknown}" (known: ${WORKLOAD_NAMES.join(', ')})`,
    );
  }
  if (names.length === 0) throw new BenchArgumentError('--only needs at least one workload name');
  return WORKLOAD_NAMES.filter((name) => names.includes(name));
}

/**
 * Parses the suite's command line (the arguments after the script), accepting `--flag value` and
 * `--flag=value`.
 * @throws {BenchArgumentError} with a one-line message for an unknown flag or a bad value.
 * @example
 * ```ts
 * parseArguments(['--only', 'lstm-train-step', '--repeats=2']).repeats; // => 2
 * ```
 */
export function parseArguments(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    only: [...WORKLOAD_NAMES],
    repeats: undefined,
    reference: true,
    catalogue: false,
    catalogueOut: undefined,
    writeReadme: false,
    output: 'results/latest.json',
    help: false,
  };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    const equals = argument.indexOf('=');
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    const inline = equals > 0 ? argument.slice(equals + 1) : undefined;
    const takeValue = (): string => {
      if (inline !== undefined) return inline;
      index++;
      return requireValue(flag, argv[index]);
    };
    const refuseValue = () => {
      if (inline !== undefined) throw new BenchArgumentError(`${flag} takes no value`);
    };
    switch (flag) {
      case '--only':
        options.only = parseOnly(takeValue());
        break;
      case '--repeats':
        options.repeats = parseRepeats(takeValue());
        break;
      case '--output':
        options.output = takeValue();
        break;
      case '--no-reference':
        refuseValue();
        options.reference = false;
        break;
      case '--catalogue':
        refuseValue();
        options.catalogue = true;
        break;
      case '--catalogue-out':
        options.catalogueOut = takeValue();
        break;
      case '--write-readme':
        refuseValue();
        options.writeReadme = true;
        break;
      case '--help':
      case '-h':
        refuseValue();
        options.help = true;
        break;
      default:
        throw new BenchArgumentError(`unknown option "${argument}" (see --help)`);
    }
  }
  return options;
}
