import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { type Preset, presets } from './figure.js';
import { closest, UsageError } from './usage-error.js';

/** Output formats besides the JSON that is always written. */
export type ImageFormat = 'svg' | 'png';

/** The parsed, validated command line. */
export interface CliOptions {
  command: 'generate' | 'list' | 'check' | 'help' | 'version';
  /** Figure ids in catalogue order; all figures when none were named. */
  ids: string[];
  /** Whether ids were named on the command line (`check` then requires each of them). */
  idsGiven: boolean;
  preset: Preset;
  out: string;
  workers: number;
  shard: { index: number; count: number } | undefined;
  seed: number;
  formats: ImageFormat[];
  lang: 'en' | 'zh';
  json: boolean;
}

const shardEnvironmentVariables = [
  'JOB_COMPLETION_INDEX',
  'SLURM_ARRAY_TASK_ID',
  'AWS_BATCH_JOB_ARRAY_INDEX',
];

function parseInteger(flag: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw new UsageError(`--${flag} must be an integer >= ${min}, got "${text}"`);
  }
  return Number(text);
}

/** `--shard I/N`, or `--shard /N` with I from the array-job environment variables. */
function parseShard(text: string, environment: Record<string, string | undefined>) {
  const match = /^(\d*)\/(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--shard must look like I/N (e.g. 0/4), got "${text}"`);
  const count = Number(match[2]);
  let indexText = match[1] ?? '';
  if (indexText === '') {
    const variable = shardEnvironmentVariables.find((name) => environment[name] !== undefined);
    if (!variable) {
      throw new UsageError(
        `--shard /${count} needs an index: give I/${count} or set ${shardEnvironmentVariables.join(', ')}`,
      );
    }
    indexText = environment[variable] ?? '';
  }
  const index = parseInteger('shard', indexText, 0);
  if (count < 1) throw new UsageError(`--shard count must be >= 1, got ${count}`);
  if (index >= count) throw new UsageError(`--shard index ${index} must be < count ${count}`);
  return { index, count };
}

/** Parses argv (without node and script) into options; throws {@link UsageError} for bad input. */
export function parseCliOptions(
  args: readonly string[],
  figureIds: readonly string[],
  environment: Record<string, string | undefined> = {},
): CliOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        preset: { type: 'string', default: 'quick' },
        out: { type: 'string', default: './figures' },
        workers: { type: 'string' },
        shard: { type: 'string' },
        seed: { type: 'string', default: '0' },
        format: { type: 'string', default: 'svg,png' },
        lang: { type: 'string', default: 'en' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const positionals = [...parsed.positionals];
  let command: CliOptions['command'] = 'generate';
  if (positionals[0] === 'list' || positionals[0] === 'check') {
    command = positionals.shift() as 'list' | 'check';
  }
  if (values.help) command = 'help';
  else if (values.version) command = 'version';

  const preset = String(values.preset);
  if (!presets.includes(preset as Preset)) {
    throw new UsageError(`--preset must be one of ${presets.join(', ')}, got "${preset}"`);
  }
  const lang = String(values.lang);
  if (lang !== 'en' && lang !== 'zh') throw new UsageError(`--lang must be en or zh, got "${lang}"`);
  const formats = String(values.format)
    .split(',')
    .map((format) => format.trim())
    .filter((format) => format !== '');
  for (const format of formats) {
    if (format !== 'svg' && format !== 'png') {
      throw new UsageError(`--format takes a comma-separated list of svg, png; got "${format}"`);
    }
  }
  for (const id of positionals) {
    if (!figureIds.includes(id)) {
      const suggestion = closest(id, figureIds);
      throw new UsageError(
        `unknown figure "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; see emerge-figures list`,
      );
    }
  }
  const ids = positionals.length === 0 ? [...figureIds] : figureIds.filter((id) => positionals.includes(id));
  return {
    command,
    ids,
    idsGiven: positionals.length > 0,
    preset: preset as Preset,
    out: String(values.out),
    workers:
      values.workers === undefined
        ? availableParallelism()
        : parseInteger('workers', String(values.workers), 1),
    shard: values.shard === undefined ? undefined : parseShard(String(values.shard), environment),
    seed: parseInteger('seed', String(values.seed), 0),
    formats: formats as ImageFormat[],
    lang,
    json: Boolean(values.json),
  };
}
