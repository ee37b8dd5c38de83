import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { FigureSpec } from './figure-spec.js';
import { estimateTextWidthEm } from './text-width.js';

/** Options of {@link renderSvg}. */
export interface RenderSvgOptions {
  /**
   * Called with every warning of Vega-Lite and Vega (e.g. a log scale given a zero). Default: the
   * warnings go to `console.warn`, as Vega does by itself.
   */
  onWarning?: (message: string) => void;
}

/**
 * Renders a Vega-Lite spec to an SVG string, headless (Vega's `renderer: 'none'`, no canvas, no DOM), in
 * Node and in browsers. The same spec gives the same bytes on the same machine: the figures use no
 * random or time-dependent expressions; Vega's ids of gradients and clip paths, which count up across
 * a process, restart for every figure (renders run one at a time for that); and where no canvas can
 * measure text (Node without the
 * `canvas` package) text widths come from {@link estimateTextWidthEm}, which, unlike Vega's own
 * estimate, gives CJK characters their full width, so Chinese legends are not clipped.
 *
 * @example
 * ```ts
 * import { linePlot, renderSvg } from '@emerge/viz';
 *
 * const svg = await renderSvg(
 *   linePlot({
 *     title: 'Loss', caption: 'One line.', x: { title: 'step' }, y: { title: 'loss' },
 *     series: [{ name: 'train', points: [{ x: 0, y: 2 }, { x: 10, y: 1 }] }],
 *   }),
 * );
 * // The same spec gives byte-identical SVG on every run, so figures can be diffed.
 * console.assert(svg.startsWith('<svg'));
 * ```
 */
export function renderSvg(spec: FigureSpec, options: RenderSvgOptions = {}): Promise<string> {
  const result = renderQueue.then(() => renderAlone(spec, options));
  renderQueue = result.then(
    () => undefined,
    () => undefined,
  );
  return result;
}

/** The render in progress: the next one starts after it, so no two share Vega's id counters. */
let renderQueue: Promise<void> = Promise.resolve();

async function renderAlone(spec: FigureSpec, options: RenderSvgOptions): Promise<string> {
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  const logger = warningLogger(onWarning);
  const internals = vega as unknown as VegaInternals;
  useEstimatedTextWidths(internals.textMetrics);
  internals.resetSVGDefIds();
  const vegaSpec = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A Vega logger that passes warnings on and throws errors instead of printing them. */
function warningLogger(onWarning: (message: string) => void) {
  let level = 2;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    warn(...messages: readonly unknown[]) {
      onWarning(messages.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
    error(...messages: readonly unknown[]) {
      throw new Error(messages.map(String).join(' '));
    },
  };
  return logger;
}

/** The part of Vega's (untyped) text metrics that layout asks for text widths. */
interface TextMetrics {
  width: (item: { fontSize?: number; fontWeight?: string | number }, text: unknown) => number;
  estimateWidth: TextMetrics['width'];
}

/** Exports of Vega (from vega-scenegraph) that its type declarations leave out. */
interface VegaInternals {
  textMetrics: TextMetrics;
  /** Restarts the counters behind the ids of SVG gradients and clip paths. */
  resetSVGDefIds: () => void;
}

/**
 * Replaces Vega's fallback text width (0.8 em per character, too narrow for CJK) by ours, through the
 * hook Vega keeps for user-defined metrics. A canvas-measured width (browsers) is left alone.
 */
function useEstimatedTextWidths(textMetrics: TextMetrics): void {
  if (textMetrics.width !== textMetrics.estimateWidth) return;
  textMetrics.width = (item, text) => {
    const fontSize = item.fontSize ?? 11;
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    const line = text == null ? '' : String(text).trim();
    return estimateTextWidthEm(line) * fontSize * (bold ? 1.08 : 1);
  };
}
