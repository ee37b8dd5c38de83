import {
  type AxisOptions,
  axisGuide,
  axisScale,
  checkAxis,
  type FigureOptions,
  type FigureSpec,
  figureSpec,
  type LayerSpec,
  requireAxisValue,
  requireText,
  resolveFigureOptions,
} from './figure-spec.js';
import { type Lang, localize, type Text } from './localized-text.js';
import { OptionError } from './option-error.js';
import { okabeIto } from './theme.js';

/** One measured point; `low`/`high` bound the error band (e.g. min and max, or mean +- sd, over seeds). */
export interface LinePoint {
  x: number;
  y: number;
  /** Lower edge of the error band at x. Default: no band at this point. */
  low?: number;
  /** Upper edge of the error band at x. Default: no band at this point. */
  high?: number;
}

/** One curve of a line plot, drawn in its own colour and named in the legend. */
export interface LineSeries {
  /** Legend name, unique within the plot (required). */
  name: Text;
  /** The points, drawn in the given order (required, at least one). */
  points: LinePoint[];
}

/** Marks drawn on top of the data to point at what the figure claims. */
export type Annotation =
  /** A rule across the plot at x (vertical) or at y (horizontal, e.g. chance level), with a label. */
  | { kind: 'rule'; x?: number; y?: number; label: Text }
  /** A labelled point, e.g. the peak of a double-descent curve. */
  | { kind: 'point'; x: number; y: number; label: Text }
  /** A shaded range of x, e.g. the interpolation threshold region [0.5n, 2n]. */
  | { kind: 'range'; from: number; to: number; label?: Text };

/** Options of {@link linePlot}. */
export interface LinePlotOptions extends FigureOptions {
  /** The x axis (required). */
  x: AxisOptions;
  /** The y axis (required). */
  y: AxisOptions;
  /** The curves, in legend order (required, at least one; at most 8 for distinct colours). */
  series: LineSeries[];
  /** Draw a dot at every measured point. Default `false`. */
  points?: boolean;
  /** Rules, labelled points and shaded ranges drawn over the data. Default none. */
  annotations?: Annotation[];
  /** Title of the colour legend. Default: no title. */
  legendTitle?: Text;
}

/** Resolved line-plot options that the power-law plot shares. */
export interface LineLayers {
  layers: LayerSpec[];
  /** Localized series names in legend order (the colour domain). */
  names: string[];
}

interface Row {
  series: string;
  x: number;
  y: number;
  low?: number;
  high?: number;
}

/**
 * A line plot: several series coloured by name, optional error bands and points, log or linear axes,
 * and annotations (rules, labelled points, shaded x ranges).
 *
 * @example
 * ```ts
 * import { linePlot, renderSvg } from '@emerge/viz';
 *
 * const spec = linePlot({
 *   title: { en: 'Test loss vs data', zh: '测试损失与数据量' },
 *   caption: { en: 'Loss falls as a power of D.', zh: '损失随 D 按幂律下降。' },
 *   x: { title: { en: 'training characters D', zh: '训练字符数 D' }, scale: 'log' },
 *   y: { title: { en: 'test loss (nats/char)', zh: '测试损失（奈特/字符）' }, scale: 'log' },
 *   series: [{ name: 'd=64', points: [{ x: 4096, y: 2.1 }, { x: 65536, y: 1.6 }] }],
 *   annotations: [{ kind: 'rule', x: 16384, label: 'threshold' }],
 *   lang: 'zh',
 * });
 * const svg = await renderSvg(spec);
 * console.assert(svg.includes('测试损失与数据量'));
 * ```
 */
export function linePlot(options: LinePlotOptions): FigureSpec {
  const figure = resolveFigureOptions(options);
  return figureSpec(figure, { layer: lineLayers(options, figure.lang).layers });
}

/** The layers of a line plot (checked), for {@link linePlot} and plots built on it. */
export function lineLayers(options: LinePlotOptions, lang: Lang): LineLayers {
  const { x, y } = options;
  checkAxis('x', x);
  checkAxis('y', y);
  const names = seriesNames(options.series, lang);
  const rows = seriesRows(options.series, names, x, y);
  const xEncoding = {
    field: 'x',
    type: 'quantitative',
    scale: axisScale(x),
    axis: axisGuide(x, lang),
  } as const;
  const yEncoding = {
    field: 'y',
    type: 'quantitative',
    scale: axisScale(y),
    axis: axisGuide(y, lang),
  } as const;
  // Stroke symbols: the band layer would otherwise make the legend show pale filled circles.
  const legendStyle = {
    symbolType: 'stroke',
    symbolStrokeWidth: 3,
    symbolOpacity: 1,
    symbolSize: 300,
  } as const;
  const legend = {
    ...legendStyle,
    title:
      options.legendTitle === undefined
        ? null
        : localize(requireText('legendTitle', options.legendTitle), lang),
  };
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain: names, range: [...okabeIto] },
    legend,
  } as const;
  const annotations = checkAnnotationKinds(options.annotations ?? []);

  const layers: LayerSpec[] = [...rangeLayers(annotations, x, lang)];
  const bandRows = rows.filter((row) => row.low !== undefined && row.high !== undefined);
  if (bandRows.length > 0) {
    layers.push({
      data: { values: bandRows },
      mark: { type: 'area', opacity: 0.18, clip: true },
      encoding: {
        x: xEncoding,
        y: { ...yEncoding, field: 'low' },
        y2: { field: 'high' },
        color,
        detail: { field: 'series' },
      },
    });
  }
  layers.push({
    data: { values: rows },
    mark: { type: 'line', clip: true },
    encoding: { x: xEncoding, y: yEncoding, color, order: { field: 'index' } },
  });
  if (options.points === true) {
    layers.push({
      data: { values: rows },
      mark: { type: 'point', clip: true },
      encoding: { x: xEncoding, y: yEncoding, color },
    });
  }
  layers.push(...ruleLayers(annotations, x, y, lang), ...pointLayers(annotations, x, y, lang));
  return { layers, names };
}

function checkAnnotationKinds(annotations: Annotation[]): Annotation[] {
  annotations.forEach((annotation, index) => {
    if (!['rule', 'point', 'range'].includes(annotation?.kind)) {
      throw new OptionError(`annotations[${index}].kind`, "'rule', 'point' or 'range'", annotation?.kind);
    }
  });
  return annotations;
}

function seriesNames(series: LineSeries[], lang: Lang): string[] {
  if (!Array.isArray(series) || series.length < 1 || series.length > okabeIto.length) {
    throw new OptionError('series', `an array of 1 to ${okabeIto.length} series`, series?.length);
  }
  const names = series.map((one, index) => localize(requireText(`series[${index}].name`, one.name), lang));
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index) throw new OptionError(`series[${index}].name`, 'unique', name);
  });
  return names;
}

function seriesRows(series: LineSeries[], names: string[], x: AxisOptions, y: AxisOptions): Row[] {
  return series.flatMap((one, seriesIndex) => {
    const field = `series[${seriesIndex}].points`;
    if (!Array.isArray(one.points) || one.points.length === 0) {
      throw new OptionError(field, 'a non-empty array', one.points);
    }
    return one.points.map((point, index) => {
      const row: Row & { index: number } = {
        series: names[seriesIndex] ?? '',
        index,
        x: requireAxisValue(`${field}[${index}].x`, point.x, x),
        y: requireAxisValue(`${field}[${index}].y`, point.y, y),
      };
      if ((point.low === undefined) !== (point.high === undefined)) {
        throw new OptionError(
          `${field}[${index}]`,
          'given both low and high, or neither',
          JSON.stringify(point),
        );
      }
      if (point.low !== undefined && point.high !== undefined) {
        row.low = requireAxisValue(`${field}[${index}].low`, point.low, y);
        row.high = requireAxisValue(`${field}[${index}].high`, point.high, y);
      }
      return row;
    });
  });
}

function rangeLayers(annotations: Annotation[], x: AxisOptions, lang: Lang): LayerSpec[] {
  return annotations.flatMap((annotation, index): LayerSpec[] => {
    if (annotation.kind !== 'range') return [];
    const field = `annotations[${index}]`;
    const from = requireAxisValue(`${field}.from`, annotation.from, x);
    const to = requireAxisValue(`${field}.to`, annotation.to, x);
    if (from >= to) throw new OptionError(`${field}.to`, `> from (${from})`, to);
    const label =
      annotation.label === undefined ? '' : localize(requireText(`${field}.label`, annotation.label), lang);
    const datum = { from, to, label };
    const xScale = axisScale(x);
    return [
      {
        data: { values: [datum] },
        mark: { type: 'rect', color: '#999999', opacity: 0.15 },
        encoding: { x: { field: 'from', type: 'quantitative', scale: xScale }, x2: { field: 'to' } },
      },
      {
        data: { values: [datum] },
        mark: { type: 'text', align: 'center', baseline: 'top', dy: 4, color: '#555555', y: 0 },
        encoding: {
          // The visual middle of the range: geometric mean on a log axis.
          x: {
            datum: x.scale === 'log' ? Math.sqrt(from * to) : (from + to) / 2,
            type: 'quantitative',
            scale: xScale,
          },
          text: { field: 'label' },
        },
      },
    ];
  });
}

/** Data for a layer that draws one mark from constants: without a row Vega-Lite draws nothing. */
const oneRow = { values: [{}] };

function ruleLayers(annotations: Annotation[], x: AxisOptions, y: AxisOptions, lang: Lang): LayerSpec[] {
  return annotations.flatMap((annotation, index): LayerSpec[] => {
    if (annotation.kind !== 'rule') return [];
    const field = `annotations[${index}]`;
    if ((annotation.x === undefined) === (annotation.y === undefined)) {
      throw new OptionError(field, 'a rule with exactly one of x and y', JSON.stringify(annotation));
    }
    const label = localize(requireText(`${field}.label`, annotation.label), lang);
    const rule = { type: 'rule' as const, color: '#333333', strokeDash: [5, 4], strokeWidth: 1.5 };
    if (annotation.x !== undefined) {
      const value = requireAxisValue(`${field}.x`, annotation.x, x);
      const position = { datum: value, type: 'quantitative', scale: axisScale(x) } as const;
      return [
        { data: oneRow, mark: rule, encoding: { x: position } },
        {
          data: oneRow,
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, y: 0, color: '#333333' },
          encoding: { x: position, text: { value: label } },
        },
      ];
    }
    const value = requireAxisValue(`${field}.y`, annotation.y, y);
    const position = { datum: value, type: 'quantitative', scale: axisScale(y) } as const;
    return [
      { data: oneRow, mark: rule, encoding: { y: position } },
      {
        data: oneRow,
        mark: {
          type: 'text',
          align: 'right',
          baseline: 'bottom',
          dy: -3,
          x: 'width',
          dx: -4,
          color: '#333333',
        },
        encoding: { y: position, text: { value: label } },
      },
    ];
  });
}

function pointLayers(annotations: Annotation[], x: AxisOptions, y: AxisOptions, lang: Lang): LayerSpec[] {
  const rows = annotations.flatMap((annotation, index) => {
    if (annotation.kind !== 'point') return [];
    const field = `annotations[${index}]`;
    return [
      {
        x: requireAxisValue(`${field}.x`, annotation.x, x),
        y: requireAxisValue(`${field}.y`, annotation.y, y),
        label: localize(requireText(`${field}.label`, annotation.label), lang),
      },
    ];
  });
  if (rows.length === 0) return [];
  const encoding = {
    x: { field: 'x', type: 'quantitative', scale: axisScale(x) },
    y: { field: 'y', type: 'quantitative', scale: axisScale(y) },
  } as const;
  return [
    {
      data: { values: rows },
      mark: { type: 'point', shape: 'diamond', size: 90, color: '#000000', filled: true },
      encoding,
    },
    {
      data: { values: rows },
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 6, dy: -6, color: '#000000' },
      encoding: { ...encoding, text: { field: 'label' } },
    },
  ];
}
