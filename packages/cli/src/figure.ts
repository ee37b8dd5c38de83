import type { FigureSpec } from '@emerge/viz';

/**
 * What a figure is, for the command line: a sweep per preset, claim checks computed from the sweep's
 * results, and a plot. Each figure lives in one file under `figures/` and exports one
 * {@link FigureDefinition}; the commands only iterate over them.
 */

/** How much compute a figure gets: `smoke` exercises code paths, `quick` must show every claim, `full` is closer to the papers. */
export type Preset = 'smoke' | 'quick' | 'full';

/** The presets, in increasing cost. */
export const presets: readonly Preset[] = ['smoke', 'quick', 'full'];

/** Text in the two languages of the report (the source article is Chinese). */
export interface Bilingual {
  en: string;
  zh: string;
}

/** The article section a figure illustrates. */
export interface ArticleSection {
  /** Stable short id, e.g. `§4`. */
  id: string;
  /** The article's own (Chinese) heading. */
  zh: string;
  /** An English gloss of the heading. */
  en: string;
}

/** One claim check: a number from the figure's own data compared with a threshold. */
export interface Claim {
  id: string;
  statement: string;
  holds: boolean;
  /** The measured value (NaN is reported as `null` in JSON). */
  value: number;
  /** The threshold in words and numbers, e.g. `>= 1.5`. */
  threshold: string;
}

/** One unit of work in a figure's sweep: the module path and export of a pure function of (config, seed). */
export interface FigureRun {
  /** URL of the module that exports the run function (usually the figure file's `import.meta.url`). */
  task: string;
  /** Name of the exported run function. */
  exportName: string;
  /** JSON-serializable configuration; part of the cache key. */
  config: Record<string, unknown>;
  seed: number;
}

/** A run together with the JSON result it produced. */
export interface FigureRunResult {
  run: FigureRun;
  result: unknown;
}

/** Everything the command line needs to produce, check and draw one figure. */
export interface FigureDefinition<Data = unknown> {
  /** Stable id: the CLI argument and the output file name. */
  id: string;
  title: Bilingual;
  section: ArticleSection;
  /** The anchor result from the literature this figure scales down. */
  anchor: string;
  /** The sweep for a preset and seed. */
  sweep(preset: Preset, seed: number): FigureRun[];
  /** Turns the sweep's results (in sweep order) into the figure's plain data. */
  assemble(results: FigureRunResult[], preset: Preset): Data;
  /** Claim checks computed from the data; each can fail. */
  claims(data: Data, preset: Preset): Claim[];
  /** A Vega-Lite spec of the figure in a language. */
  plot(data: Data, lang: keyof Bilingual): FigureSpec;
  /** The caption under the figure, which says what the reader sees (and what did not hold). */
  caption(data: Data, lang: keyof Bilingual): string;
}

/**
 * Builds a claim, so a claim's `holds` is always computed from its value in one place.
 * @example
 * ```ts
 * import { checkClaim } from 'emerge-figures';
 *
 * const claim = checkClaim({ id: 'peak-height', statement: 'The peak is at least 1.5x the minimum', value: 2.03, comparison: '>=', threshold: 1.5 });
 * claim; // => { id: 'peak-height', statement: '...', holds: true, value: 2.03, threshold: '>= 1.5' }
 * // A value that is not a finite number never holds.
 * console.assert(claim.holds && !checkClaim({ id: 'x', statement: 'x', value: Number.NaN, comparison: '<=', threshold: 1 }).holds);
 * ```
 */
export function checkClaim(options: {
  id: string;
  statement: string;
  value: number;
  comparison: '>=' | '<=' | '>' | '<';
  threshold: number;
  /** How the threshold reads in the report; default: `${comparison} ${threshold}`. */
  thresholdText?: string;
}): Claim {
  const { value, threshold, comparison } = options;
  const holds =
    Number.isFinite(value) &&
    (comparison === '>='
      ? value >= threshold
      : comparison === '<='
        ? value <= threshold
        : comparison === '>'
          ? value > threshold
          : value < threshold);
  return {
    id: options.id,
    statement: options.statement,
    holds,
    value,
    threshold: options.thresholdText ?? `${comparison} ${threshold}`,
  };
}
