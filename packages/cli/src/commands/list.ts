import { figures } from '../figures/index.js';
import type { CliOptions } from '../options.js';
import type { CommandContext } from './generate.js';

/** Prints the catalogue: id, article section and title of every figure. */
export function listFigures(options: CliOptions, context: CommandContext): number {
  const rows = figures.map((figure) => ({
    id: figure.id,
    section: figure.section.id,
    title: figure.title[options.lang],
    anchor: figure.anchor,
  }));
  if (options.json) {
    context.stdout(`${JSON.stringify(rows)}\n`);
    return 0;
  }
  for (const row of rows) context.stdout(`${row.id.padEnd(20)} ${row.section.padEnd(5)} ${row.title}\n`);
  return 0;
}
