import type { Measurement } from './measurement.js';

/** One side of a workload: its measurement, or why there is none. */
export type SideResult = Measurement | { error: string };

/** Everything recorded about one workload. */
export interface WorkloadResult {
  name: string;
  unit: string;
  shape: string;
  /** Nominal FLOPs of one repetition (see workload-specs.ts). */
  flops: number;
  formula: string;
  /** Timed repetitions after the warm-up, on each side. */
  repeats: number;
  ours: SideResult;
  /** Absent when the reference did not run. */
  pytorch?: SideResult;
}

/** Whether the reference ran, and why not when it did not. */
export interface ReferenceStatus {
  available: boolean;
  /** e.g. `torch 1.13.0a0, 1 thread`, or why the reference was skipped. */
  description: string;
}

/** Markers in bench/README.md between which `--write-readme` puts the table. */
export const README_START = '<!-- bench-results:start -->';
export const README_END = '<!-- bench-results:end -->';

function isMeasurement(side: SideResult | undefined): side is Measurement {
  return side !== undefined && !('error' in side);
}

/** Milliseconds with a precision that suits their size: 1 decimal below 100, whole above. */
export function formatMs(milliseconds: number): string {
  if (milliseconds >= 100) return Math.round(milliseconds).toLocaleString('en-US');
  return milliseconds.toFixed(1);
}

/** GFLOP/s of `flops` done in `milliseconds`, to 2 significant digits below 10, else 1 decimal. */
export function formatGflops(flops: number, milliseconds: number): string {
  const gflops = flops / (milliseconds * 1e6);
  return gflops < 10 ? gflops.toPrecision(2) : gflops.toFixed(1);
}

/** ours / PyTorch as e.g. `3.2x` (below 1 means ours is faster). */
export function formatRatio(ours: number, reference: number): string {
  return `${(ours / reference).toFixed(1)}x`;
}

const DASH = '—';

function oursCells(result: WorkloadResult): string[] {
  const ours = result.ours;
  if (!isMeasurement(ours)) return [`failed: ${ours.error}`, DASH, DASH, DASH, DASH, DASH];
  return [
    formatMs(ours.medianMs),
    formatMs(ours.minMs),
    formatMs(ours.cpuMedianMs),
    formatGflops(result.flops, ours.medianMs),
    Math.round(ours.maxRssMb).toString(),
    ours.peakTensorMb === undefined ? DASH : Math.round(ours.peakTensorMb).toString(),
  ];
}

function referenceCells(result: WorkloadResult): string[] {
  const { ours, pytorch } = result;
  if (pytorch === undefined) return [DASH, DASH, DASH, DASH, DASH, DASH];
  if (!isMeasurement(pytorch)) return [`failed: ${pytorch.error}`, DASH, DASH, DASH, DASH, DASH];
  const bothMeasured = isMeasurement(ours);
  return [
    formatMs(pytorch.medianMs),
    formatMs(pytorch.cpuMedianMs),
    formatGflops(result.flops, pytorch.medianMs),
    Math.round(pytorch.maxRssMb).toString(),
    bothMeasured ? formatRatio(ours.medianMs, pytorch.medianMs) : DASH,
    bothMeasured ? formatRatio(ours.cpuMedianMs, pytorch.cpuMedianMs) : DASH,
  ];
}

/**
 * The results as a Markdown table: ours (median, min and CPU ms, GFLOP/s, peak memory), then
 * PyTorch's, then the ratios ours / PyTorch by wall and by CPU time; a line under the table says
 * when the reference did not run.
 * @example
 * ```ts
 * formatResultsTable(results, { available: false, description: 'python3 cannot import torch' });
 * ```
 */
export function formatResultsTable(results: readonly WorkloadResult[], reference: ReferenceStatus): string {
  const header = [
    'workload',
    'unit',
    'ours median ms',
    'ours min ms',
    'ours CPU ms',
    'ours GFLOP/s',
    'ours peak RSS MB',
    'ours peak tensors MB',
    'PyTorch median ms',
    'PyTorch CPU ms',
    'PyTorch GFLOP/s',
    'PyTorch peak RSS MB',
    'ours / PyTorch (wall)',
    'ours / PyTorch (CPU)',
  ];
  const rows = results.map((result) => [
    result.name,
    result.unit,
    ...oursCells(result),
    ...referenceCells(result),
  ]);
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const table = [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
  const note = reference.available
    ? `PyTorch reference: ${reference.description}.`
    : `PyTorch reference not run: ${reference.description}.`;
  return `${table}\n\n${note}\n`;
}

/**
 * `document` with the text between {@link README_START} and {@link README_END} replaced by `content`.
 * @throws {Error} when the markers are missing or out of order.
 */
export function replaceBetweenMarkers(document: string, content: string): string {
  const start = document.indexOf(README_START);
  const end = document.indexOf(README_END);
  if (start < 0 || end < start) {
    throw new Error(`the README needs the markers ${README_START} and ${README_END}, in that order`);
  }
  return `${document.slice(0, start + README_START.length)}\n${content}${document.slice(end)}`;
}
