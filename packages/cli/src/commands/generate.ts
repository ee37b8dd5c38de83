import { access, constants, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { selectBackend } from '@emerge/core';
import { runSweep, type SweepResult, WorkerPool } from '@emerge/core/node';
import { renderReport, renderSvg } from '@emerge/viz';
import { renderPng } from '@emerge/viz/node';
import type { FigureDefinition, FigureRun } from '../figure.js';
import { figures } from '../figures/index.js';
import type { CliOptions } from '../options.js';
import { createProgressLine, deferProgressLine, formatDuration } from '../progress-line.js';
import { UsageError } from '../usage-error.js';
import { type FigureRecord, parseFigureRecord } from './figure-record.js';
import { cliVersion, packageVersions } from './versions.js';

/** What commands get from the outside world, so tests can run them without a process or a terminal. */
export interface CommandContext {
  /** Writes to standard output (results, `--json`). */
  stdout(text: string): void;
  /** Writes to standard error (progress, messages). */
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars are drawn only then). */
  isTerminal: boolean;
  /** Cancels the work (Ctrl-C); finished runs stay cached. */
  signal?: AbortSignal;
  /** Wall clock for provenance. */
  now(): Date;
}

/** Makes sure `out` exists and is writable, or throws a one-line usage error. */
export async function prepareOutputFolder(out: string): Promise<string> {
  const folder = resolve(out);
  try {
    await mkdir(folder, { recursive: true });
    await access(folder, constants.W_OK);
  } catch (error) {
    throw new UsageError(
      `cannot write to --out ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return folder;
}

/**
 * Reads the figure records present in `folder`, in catalogue order. A file that is not a valid record
 * (corrupted, or from another tool) is left untouched and reported through `onInvalid`.
 */
export async function readFigureRecords(
  folder: string,
  onInvalid: (path: string) => void = () => {},
): Promise<Map<string, FigureRecord>> {
  const records = new Map<string, FigureRecord>();
  for (const figure of figures) {
    const path = join(folder, `${figure.id}.json`);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const record = parseFigureRecord(text, figure.id);
    if (record) records.set(figure.id, record);
    else onInvalid(path);
  }
  return records;
}

function figureById(id: string): FigureDefinition {
  const figure = figures.find((candidate) => candidate.id === id);
  if (!figure) throw new UsageError(`unknown figure "${id}"`);
  return figure;
}

/** Regenerates the chosen figures into `options.out`; resolves to the exit code. */
export async function generateFigures(options: CliOptions, context: CommandContext): Promise<number> {
  const folder = await prepareOutputFolder(options.out);
  const backend = await selectBackend();
  const versions = packageVersions();
  const summaries: Array<{ id: string; durationMs: number; claimsHolding: number; claimCount: number }> = [];
  const chosen = options.ids.map(figureById);
  // With several workers the figures' sweeps share one pool of processes, served in catalogue order:
  // each sweep starts as soon as the previous one has started a run (so the previous one is first in
  // line for processes), and a process the current figure leaves idle while its last runs finish
  // starts the next figure's runs. Figures are still assembled, checked and written one after another.
  const pool = options.workers > 1 ? new WorkerPool(options.workers) : undefined;
  /** Each started figure's sweep and its progress line, by catalogue order. */
  const sweeps: Array<{
    results: Promise<SweepResult<FigureRun>[]>;
    line: ReturnType<typeof deferProgressLine>;
  }> = [];
  const startSweep = (order: number) => {
    const figure = chosen[order];
    if (figure === undefined || sweeps[order] !== undefined) return sweeps[order];
    const line = deferProgressLine(
      createProgressLine(figure.id, context.isTerminal && !options.json ? context.stderr : undefined),
    );
    const results = runSweep(figure.sweep(options.preset, options.seed), {
      // One cache for every figure: a run is a pure function of (export, config, seed), so figures that
      // share a run (e.g. the trained minima of the sharpness and landscape figures) compute it once.
      cacheDir: join(folder, '.cache'),
      version: cliVersion(),
      workers: options.workers,
      pool,
      priority: order,
      shard: options.shard,
      onEvent: (event) => {
        line.onEvent(event);
        if (pool !== undefined && (event.type === 'run-start' || event.type === 'sweep-finish')) {
          startSweep(order + 1);
        }
      },
      signal: context.signal,
    });
    // Awaited in turn below; until then a failure must not surface as an unhandled rejection.
    results.catch(() => {});
    sweeps[order] = { results, line };
    return sweeps[order];
  };
  if (pool !== undefined) startSweep(0);
  try {
    for (const [order, figure] of chosen.entries()) {
      const { id } = figure;
      // With a pool, a figure's runs may have started earlier: its time counts from the previous figure's end.
      const startedAt = context.now();
      const sweep = startSweep(order) as NonNullable<ReturnType<typeof startSweep>>;
      sweep.line.show();
      const results = await sweep.results;
      if (options.shard) continue;
      const data = figure.assemble(
        results.map((entry) => ({ run: entry.run, result: entry.result })),
        options.preset,
      );
      const claims = figure.claims(data, options.preset);
      const spec = figure.plot(data, options.lang);
      const svg = await renderSvg(spec);
      const durationMs = context.now().getTime() - startedAt.getTime();
      const record: FigureRecord = {
        id,
        title: figure.title[options.lang],
        section: figure.section,
        preset: options.preset,
        seed: options.seed,
        lang: options.lang,
        caption: figure.caption(data, options.lang),
        claims,
        data,
        provenance: {
          versions,
          backend,
          node: process.version,
          startedAt: startedAt.toISOString(),
          durationMs,
        },
      };
      await writeFile(join(folder, `${id}.json`), `${JSON.stringify(record, null, 2)}\n`);
      if (options.formats.includes('svg')) await writeFile(join(folder, `${id}.svg`), svg);
      if (options.formats.includes('png')) await writeFile(join(folder, `${id}.png`), await renderPng(svg));
      const claimsHolding = claims.filter((claim) => claim.holds).length;
      summaries.push({ id, durationMs, claimsHolding, claimCount: claims.length });
      if (!options.json) {
        context.stderr(
          `${id}: ${claimsHolding}/${claims.length} claims hold, ${formatDuration(durationMs)}\n`,
        );
      }
    }
  } finally {
    pool?.close();
  }
  if (options.shard) {
    const message = `shard ${options.shard.index}/${options.shard.count} done; run without --shard to draw the figures from the cache`;
    if (options.json) context.stdout(`${JSON.stringify({ shard: options.shard, figures: options.ids })}\n`);
    else context.stderr(`${message}\n`);
    return 0;
  }
  await writeReport(folder, options.lang, (path) =>
    context.stderr(`emerge-figures: ${path} is not a valid figure record; left out of the report\n`),
  );
  if (options.json) context.stdout(`${JSON.stringify({ out: folder, figures: summaries })}\n`);
  else context.stderr(`wrote ${join(folder, 'index.html')}\n`);
  return 0;
}

/** Writes `index.html` for every valid figure record in the folder, re-plotting each from its data. */
export async function writeReport(
  folder: string,
  lang: 'en' | 'zh',
  onInvalid?: (path: string) => void,
): Promise<void> {
  const records = await readFigureRecords(folder, onInvalid);
  const entries = [];
  for (const record of records.values()) {
    const figure = figureById(record.id);
    entries.push({
      id: record.id,
      title: figure.title[lang],
      section: `${record.section.id} ${record.section[lang]}`,
      caption: figure.caption(record.data as never, lang),
      svg: await renderSvg(figure.plot(record.data as never, lang)),
      claims: record.claims,
      provenance: { preset: record.preset, seed: record.seed, ...record.provenance },
    });
  }
  await writeFile(
    join(folder, 'index.html'),
    renderReport({ title: 'emerge-figures', figures: entries, lang }),
  );
}
