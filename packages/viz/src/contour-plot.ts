import {
  type FigureOptions,
  type FigureSpec,
  figureSpec,
  type LayerSpec,
  requireText,
  resolveFigureOptions,
} from './figure-spec.js';
import { checkGrid, type Grid, isolineSegments } from './isolines.js';
import { localize, type Text } from './localized-text.js';
import { OptionError, requireFiniteNumber } from './option-error.js';
import { sequentialScheme } from './theme.js';

/** Options of {@link contourPlot}. */
export interface ContourPlotOptions extends FigureOptions {
  /** The x axis: its title and the grid's column coordinates (required). */
  x: { title: Text; values: number[] };
  /** The y axis: its title and the grid's row coordinates (required). */
  y: { title: Text; values: number[] };
  /** `values[row][column]` at `(x.values[column], y.values[row])` (required). */
  values: number[][];
  /** The colour legend: title, `'log'` for values spanning decades (all > 0), fixed domain. */
  color: { title: Text; scale?: 'linear' | 'log'; domain?: [number, number] };
  /** The isoline levels. Default: `levelCount` levels evenly spaced inside (min, max). */
  levels?: number[];
  /** Number of default levels (ignored when `levels` is given). Default 8. */
  levelCount?: number;
  /** One level drawn thick and white, e.g. `min + delta` of a basin-area claim. Default none. */
  highlight?: { level: number; label?: Text };
  /** Labelled points, e.g. the minimum at (0, 0). Default none. */
  marks?: Array<{ x: number; y: number; label: Text }>;
}

/**
 * A 2-D landscape: the grid drawn as a filled heatmap with isolines (computed here by marching
 * squares, so the figure composes with others in {@link multiPanel} and renders headless).
 *
 * @example
 * ```ts
 * import { contourPlot } from '@emerge/viz';
 *
 * const spec = contourPlot({
 *   title: 'Loss around the minimum', caption: 'A wide basin.',
 *   x: { title: 'direction 1', values: [-1, 0, 1] }, y: { title: 'direction 2', values: [-1, 0, 1] },
 *   values: [[2, 1, 2], [1, 0, 1], [2, 1, 2]], color: { title: 'training loss' },
 * });
 * console.assert(typeof spec === 'object' && spec !== null); // a Vega-Lite spec, for renderSvg
 * ```
 */
export function contourPlot(options: ContourPlotOptions): FigureSpec {
  const figure = resolveFigureOptions(options);
  const { lang } = figure;
  requireText('x.title', options.x?.title);
  requireText('y.title', options.y?.title);
  requireText('color.title', options.color?.title);
  const grid: Grid = { x: options.x.values, y: options.y.values, values: options.values };
  checkGrid(grid, 'grid');
  const isLog = options.color.scale === 'log';
  const all = options.values.flat();
  if (isLog && !all.every((value) => value > 0))
    throw new OptionError('values', 'all > 0 (log colour scale)', Math.min(...all));
  const levels =
    options.levels ?? defaultLevels(Math.min(...all), Math.max(...all), options.levelCount ?? 8, isLog);
  levels.forEach((level, index) => {
    if (!Number.isFinite(level)) throw new OptionError(`levels[${index}]`, 'a finite number', level);
  });

  const cells = options.values.flatMap((row, rowIndex) =>
    row.map((value, column) => ({
      x: edge(grid.x, column),
      x2: edge(grid.x, column + 1),
      y: edge(grid.y, rowIndex),
      y2: edge(grid.y, rowIndex + 1),
      value,
    })),
  );
  const xDomain: [number, number] = [edge(grid.x, 0), edge(grid.x, grid.x.length)];
  const yDomain: [number, number] = [edge(grid.y, 0), edge(grid.y, grid.y.length)];
  const x = {
    field: 'x',
    type: 'quantitative',
    scale: { domain: xDomain, nice: false, zero: false },
    axis: { title: localize(options.x.title, lang), grid: false },
  } as const;
  const y = {
    field: 'y',
    type: 'quantitative',
    scale: { domain: yDomain, nice: false, zero: false },
    axis: { title: localize(options.y.title, lang), grid: false },
  } as const;
  const colorScale = {
    type: isLog ? 'log' : 'linear',
    scheme: sequentialScheme,
    ...(options.color.domain === undefined ? {} : { domain: options.color.domain }),
  } as const;
  const layers: LayerSpec[] = [
    {
      data: { values: cells },
      // No per-cell ARIA labels: thousands of cells would triple the SVG; the description covers the figure.
      // A hairline stroke in the fill colour closes the anti-aliasing seams between neighbouring cells.
      transform: [{ calculate: 'datum.value', as: 'seam' }],
      mark: { type: 'rect', aria: false, strokeWidth: 0.6 },
      encoding: {
        x,
        x2: { field: 'x2' },
        y,
        y2: { field: 'y2' },
        // A copy of the field, so that Vega-Lite does not merge this legendless channel into the colour legend.
        stroke: { field: 'seam', type: 'quantitative', scale: colorScale, legend: null },
        color: {
          field: 'value',
          type: 'quantitative',
          scale: colorScale,
          legend: { title: localize(options.color.title, lang) },
        },
      },
    },
  ];
  const lineRows = levels.flatMap((level) => isolineSegments(grid, level));
  if (lineRows.length > 0) {
    layers.push(segmentLayer(lineRows, { color: '#000000', opacity: 0.5, strokeWidth: 1 }));
  }
  if (options.highlight !== undefined) {
    const level = options.highlight.level;
    if (!Number.isFinite(level)) throw new OptionError('highlight.level', 'a finite number', level);
    const rows = isolineSegments(grid, level);
    if (rows.length > 0) layers.push(segmentLayer(rows, { color: '#ffffff', opacity: 1, strokeWidth: 2.5 }));
    if (options.highlight.label !== undefined && rows.length > 0) {
      // Label the highlighted isoline above its topmost point, where it is least likely to hit a mark.
      const topmost = rows.reduce((best, row) => (row.y2 > best.y2 ? row : best));
      const label = localize(requireText('highlight.label', options.highlight.label), lang);
      layers.push({
        data: { values: [{ x: topmost.x2, y: topmost.y2, label }] },
        mark: {
          type: 'text',
          align: 'center',
          baseline: 'bottom',
          dy: -4,
          color: '#ffffff',
          fontWeight: 'bold',
        },
        encoding: {
          x: { field: 'x', type: 'quantitative' },
          y: { field: 'y', type: 'quantitative' },
          text: { field: 'label' },
        },
      });
    }
  }
  const marks = (options.marks ?? []).map((mark, index) => ({
    x: requireFiniteNumber(`marks[${index}].x`, mark.x),
    y: requireFiniteNumber(`marks[${index}].y`, mark.y),
    label: localize(requireText(`marks[${index}].label`, mark.label), lang),
  }));
  if (marks.length > 0) {
    const position = {
      x: { field: 'x', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
    } as const;
    layers.push(
      {
        data: { values: marks },
        mark: { type: 'point', shape: 'cross', size: 120, color: '#ffffff', filled: true },
        encoding: position,
      },
      {
        data: { values: marks },
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'bottom',
          dx: 7,
          dy: -5,
          color: '#ffffff',
          fontWeight: 'bold',
        },
        encoding: { ...position, text: { field: 'label' } },
      },
    );
  }
  return figureSpec(figure, { layer: layers });
}

function segmentLayer(
  rows: Array<{ x1: number; y1: number; x2: number; y2: number }>,
  style: { color: string; opacity: number; strokeWidth: number },
): LayerSpec {
  return {
    data: { values: rows },
    mark: { type: 'rule', aria: false, ...style },
    encoding: {
      x: { field: 'x1', type: 'quantitative' },
      y: { field: 'y1', type: 'quantitative' },
      x2: { field: 'x2' },
      y2: { field: 'y2' },
    },
  };
}

/** Cell edge `index` of a grid axis: midpoints between coordinates, extended by half a step at the ends. */
function edge(coordinates: number[], index: number): number {
  const at = (i: number) => coordinates[Math.min(Math.max(i, 0), coordinates.length - 1)] ?? 0;
  if (index === 0) return at(0) - (at(1) - at(0)) / 2;
  const last = coordinates.length - 1;
  if (index > last) return at(last) + (at(last) - at(last - 1)) / 2;
  return (at(index - 1) + at(index)) / 2;
}

/** `count` levels strictly inside (min, max): evenly spaced, or evenly spaced in log for log colours. */
function defaultLevels(min: number, max: number, count: number, isLog: boolean): number[] {
  if (!Number.isInteger(count) || count < 1 || count > 50)
    throw new OptionError('levelCount', 'an integer in [1, 50]', count);
  if (min === max) return [];
  const low = isLog ? Math.log(min) : min;
  const high = isLog ? Math.log(max) : max;
  return Array.from({ length: count }, (_, index) => {
    const value = low + ((high - low) * (index + 1)) / (count + 1);
    return isLog ? Math.exp(value) : value;
  });
}
