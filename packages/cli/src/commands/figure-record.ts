import type { ArticleSection, Claim, Preset } from '../figure.js';

/** Where and how a figure was made; the report prints it beside the claims. */
export interface Provenance {
  /** Versions of our packages and of TensorFlow.js. */
  versions: Record<string, string>;
  backend: string;
  node: string;
  /** When the figure's turn came (with several workers, its first runs may have started earlier). */
  startedAt: string;
  /** Wall time from its turn to its record: with several workers, the time it added to the catalogue. */
  durationMs: number;
}

/** The content of `DIR/<id>.json` (the output contract of DESIGN.md). */
export interface FigureRecord {
  id: string;
  title: string;
  section: ArticleSection;
  preset: Preset;
  seed: number;
  lang: 'en' | 'zh';
  caption: string;
  claims: Claim[];
  data: unknown;
  provenance: Provenance;
}

/** Reads a figure record from JSON text; returns undefined when the text is not a valid record. */
export function parseFigureRecord(text: string, id: string): FigureRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const record = value as Partial<FigureRecord> | null;
  const valid =
    record !== null &&
    typeof record === 'object' &&
    record.id === id &&
    typeof record.preset === 'string' &&
    typeof record.seed === 'number' &&
    Array.isArray(record.claims) &&
    record.data !== undefined &&
    typeof record.provenance === 'object';
  return valid ? (record as FigureRecord) : undefined;
}
