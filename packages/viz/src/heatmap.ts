import {
  type FigureOptions,
  type FigureSpec,
  figureSpec,
  type LayerSpec,
  requireText,
  resolveFigureOptions,
} from './figure-spec.js';
import { type Lang, localize, type Text } from './localized-text.js';
import { OptionError, requireFiniteNumber } from './option-error.js';
import { sequentialScheme } from './theme.js';

/** A categorical axis of a heatmap: one label per row or column. */
export interface HeatmapAxis {
  /** The axis title, e.g. `{ en: 'key position', zh: '键位置' }` (required). */
  title: Text;
  /** Tick labels, one per row or column (e.g. tokens). Default: the indices 0, 1, 2, ... */
  labels?: string[];
}

/** A cell drawn with a bold frame, e.g. the key position that the query should attend to. */
export interface MarkedCell {
  /** Row index (required). */
  row: number;
  /** Column index (required). */
  column: number;
  /** Text beside the frame. Default none. */
  label?: Text;
}

/** Options of {@link heatmap}. */
export interface HeatmapOptions extends FigureOptions {
  /** The columns (e.g. key positions), left to right (required). */
  x: HeatmapAxis;
  /** The rows (e.g. query positions), top to bottom (required). */
  y: HeatmapAxis;
  /** `values[row][column]`, all finite (required, at least 1 x 1). */
  values: number[][];
  /** The colour legend: its title, and a fixed domain such as [0, 1] for attention weights. */
  color: { title: Text; domain?: [number, number] };
  /** Cells drawn with a frame. Default none. */
  marks?: MarkedCell[];
}

/**
 * A heatmap of a matrix, e.g. attention weights (query position x key position), with marked cells.
 *
 * @example
 * ```ts
 * import { heatmap, renderSvg } from '@emerge/viz';
 *
 * const spec = heatmap({
 *   title: 'Attention, layer 2 head 1', caption: 'The query attends to the marked key.',
 *   x: { title: 'key position' }, y: { title: 'query position' },
 *   values: [[1, 0], [0.9, 0.1]], color: { title: 'weight', domain: [0, 1] },
 *   marks: [{ row: 1, column: 0, label: 'key' }],
 * });
 * const svg = await renderSvg(spec);
 * console.assert(svg.startsWith('<svg') && svg.includes('key position'));
 * ```
 */
export function heatmap(options: HeatmapOptions): FigureSpec {
  const figure = resolveFigureOptions(options);
  const { lang } = figure;
  const { values } = options;
  const rowCount = Array.isArray(values) ? values.length : 0;
  const columnCount = Array.isArray(values?.[0]) ? values[0].length : 0;
  if (rowCount < 1 || columnCount < 1) throw new OptionError('values', 'a non-empty matrix', rowCount);
  const cells = values.flatMap((row, rowIndex) => {
    if (!Array.isArray(row) || row.length !== columnCount) {
      throw new OptionError(`values[${rowIndex}]`, `${columnCount} numbers (as row 0)`, row?.length);
    }
    return row.map((value, column) => ({
      row: rowIndex,
      column,
      value: requireFiniteNumber(`values[${rowIndex}][${column}]`, value),
    }));
  });
  requireText('color.title', options.color?.title);
  const x = categoricalEncoding('x', options.x, columnCount, lang);
  const y = categoricalEncoding('y', options.y, rowCount, lang);
  const colorScale =
    options.color.domain === undefined
      ? { scheme: sequentialScheme }
      : { scheme: sequentialScheme, domain: options.color.domain };
  const layers: LayerSpec[] = [
    {
      data: { values: cells },
      // No per-cell ARIA labels: thousands of cells would triple the SVG; the description covers the figure.
      // A hairline stroke in the fill colour closes the anti-aliasing seams between neighbouring cells.
      transform: [{ calculate: 'datum.value', as: 'seam' }],
      mark: { type: 'rect', aria: false, strokeWidth: 0.6 },
      encoding: {
        x,
        y,
        // A copy of the field, so that Vega-Lite does not merge this legendless channel into the colour legend.
        stroke: { field: 'seam', type: 'quantitative', scale: colorScale, legend: null },
        color: {
          field: 'value',
          type: 'quantitative',
          scale: colorScale,
          legend: {
            title: localize(options.color.title, lang),
            gradientLength: Math.min(figure.height, 200),
          },
        },
      },
    },
  ];
  const marks = (options.marks ?? []).map((mark, index) => {
    const field = `marks[${index}]`;
    for (const [key, count] of [
      ['row', rowCount],
      ['column', columnCount],
    ] as const) {
      const value = mark[key];
      if (!Number.isInteger(value) || value < 0 || value >= count) {
        throw new OptionError(`${field}.${key}`, `an integer in [0, ${count - 1}]`, value);
      }
    }
    const label = mark.label === undefined ? '' : localize(requireText(`${field}.label`, mark.label), lang);
    return { row: mark.row, column: mark.column, label };
  });
  if (marks.length > 0) {
    layers.push(
      {
        data: { values: marks },
        mark: { type: 'rect', fill: null, stroke: '#D55E00', strokeWidth: 2.5 },
        encoding: { x, y },
      },
      {
        data: { values: marks },
        mark: {
          type: 'text',
          align: 'left',
          baseline: 'middle',
          dx: 8,
          color: '#D55E00',
          fontWeight: 'bold',
        },
        encoding: { x: { ...x, bandPosition: 1 }, y, text: { field: 'label' } },
      },
    );
  }
  return figureSpec(figure, { layer: layers });
}

/** An ordinal position channel over indices 0..count-1, labelled by `axis.labels` when given. */
function categoricalEncoding(channel: 'x' | 'y', axis: HeatmapAxis, count: number, lang: Lang) {
  requireText(`${channel}.title`, axis?.title);
  const labels = axis.labels;
  if (
    labels !== undefined &&
    (!Array.isArray(labels) || labels.length !== count || !labels.every((label) => typeof label === 'string'))
  ) {
    throw new OptionError(`${channel}.labels`, `${count} strings`, labels?.length);
  }
  // Indices, not labels, are the values: tokens repeat. JSON is a valid Vega expression literal.
  const labelExpr = labels === undefined ? undefined : `${JSON.stringify(labels)}[datum.value]`;
  return {
    field: channel === 'x' ? 'column' : 'row',
    type: 'ordinal',
    scale: { domain: Array.from({ length: count }, (_, index) => index), paddingInner: 0, paddingOuter: 0 },
    axis: {
      title: localize(axis.title, lang),
      grid: false,
      labelOverlap: 'parity',
      // One tick per row is a comb at attention-map sizes; labels alone then mark the positions.
      ticks: count <= 32,
      labelAngle: 0,
      ...(labelExpr === undefined ? {} : { labelExpr }),
    },
  } as const;
}
