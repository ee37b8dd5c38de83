import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Claim } from '../figure.js';
import { figures } from '../figures/index.js';
import type { CliOptions } from '../options.js';
import { UsageError } from '../usage-error.js';
import { parseFigureRecord } from './figure-record.js';
import type { CommandContext } from './generate.js';

/** Ids of the catalogue's figures that have a result file in `folder`. */
async function presentFigureIds(folder: string): Promise<string[]> {
  const present = new Set(await readdir(folder).catch(() => []));
  return figures.map((figure) => figure.id).filter((id) => present.has(`${id}.json`));
}

function formatValue(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 || (Math.abs(value) < 0.001 && value !== 0)
    ? value.toExponential(3)
    : value.toFixed(4);
}

/**
 * Re-derives every claim of the chosen figures from the data in `DIR/<id>.json` and prints them;
 * resolves to 1 when any claim does not hold (exit code of `emerge-figures check`).
 */
export async function checkFigures(options: CliOptions, context: CommandContext): Promise<number> {
  const folder = resolve(options.out);
  const report: Array<{ id: string; preset: string; claims: Claim[] }> = [];
  // Without ids, check what was generated in the folder; named ids must all be there.
  const ids = options.idsGiven ? options.ids : await presentFigureIds(folder);
  if (ids.length === 0) {
    throw new UsageError(`no figure results in ${options.out}; run: emerge-figures --out ${options.out}`);
  }
  for (const id of ids) {
    const figure = figures.find((candidate) => candidate.id === id);
    const path = join(folder, `${id}.json`);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) {
      throw new UsageError(
        `no result for ${id} in ${options.out}; run: emerge-figures ${id} --out ${options.out}`,
      );
    }
    const record = parseFigureRecord(text, id);
    if (!record || !figure) {
      throw new UsageError(
        `${path} is not a valid figure record (corrupted?); regenerate it: emerge-figures ${id}`,
      );
    }
    report.push({ id, preset: record.preset, claims: figure.claims(record.data as never, record.preset) });
  }
  const failing = report.flatMap((entry) => entry.claims.filter((claim) => !claim.holds));
  if (options.json) {
    context.stdout(`${JSON.stringify({ holds: failing.length === 0, figures: report })}\n`);
  } else {
    for (const entry of report) {
      context.stdout(`${entry.id} (${entry.preset})\n`);
      for (const claim of entry.claims) {
        context.stdout(
          `  ${claim.holds ? 'holds    ' : 'DOES NOT HOLD'} ${claim.id}: ${formatValue(claim.value)} (threshold ${claim.threshold})\n`,
        );
      }
    }
    const total = report.reduce((sum, entry) => sum + entry.claims.length, 0);
    context.stdout(`${total - failing.length} of ${total} claims hold\n`);
  }
  return failing.length === 0 ? 0 : 1;
}
