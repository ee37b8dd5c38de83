import {
  type AxisOptions,
  type FigureSpec,
  figureSpec,
  type LayerSpec,
  requireText,
  resolveFigureOptions,
} from './figure-spec.js';
import { type LinePlotOptions, lineLayers } from './line-plot.js';
import { type Lang, localize, type Text } from './localized-text.js';
import { OptionError } from './option-error.js';
import { okabeIto } from './theme.js';

/** A fitted power law `y = offset + coefficient * x^exponent`, drawn over the x range of its series. */
export interface PowerLawFit {
  /** Name of the series it was fitted to, as given in `series` (required). */
  series: Text;
  /** The factor A (required, > 0). */
  coefficient: number;
  /** The exponent; negative for a falling curve such as L(D) ~ D^-0.095 (required). */
  exponent: number;
  /** The irreducible offset E. Default 0. */
  offset?: number;
  /** Text drawn at the right end of the curve, e.g. `alpha = 0.095, R^2 = 0.998`. Default none. */
  label?: Text;
}

/** Options of {@link powerLawPlot}: a {@link linePlot} on log-log axes with fitted curves. */
export interface PowerLawPlotOptions extends Omit<LinePlotOptions, 'x' | 'y'> {
  /** The x axis; always logarithmic (required). */
  x: Omit<AxisOptions, 'scale'>;
  /** The y axis; always logarithmic (required). */
  y: Omit<AxisOptions, 'scale'>;
  /** The fitted curves, drawn dashed in the colour of their series (required, may be empty). */
  fits: PowerLawFit[];
  /** Legend names of the two line styles. Default measured / power-law fit in both languages. */
  styleNames?: { measured: Text; fit: Text };
}

/** Number of points each fitted curve is sampled at (log-spaced), enough for a smooth curve. */
const fitSamples = 48;

/**
 * Log-log line plot of measurements with fitted power laws overlaid as dashed curves (one legend for
 * the series colours, one for measured vs fit), as in scaling-law figures.
 *
 * @example
 * ```ts
 * import { powerLawPlot, renderSvg } from '@emerge/viz';
 *
 * const spec = powerLawPlot({
 *   title: 'L(D)', caption: 'Loss falls as a power of D.',
 *   x: { title: 'characters D' }, y: { title: 'loss (nats/char)' },
 *   series: [{ name: 'd64', points: [{ x: 4096, y: 2.0 }, { x: 65536, y: 1.6 }] }],
 *   fits: [{ series: 'd64', coefficient: 3.1, exponent: -0.095, offset: 0, label: 'alpha = 0.095' }],
 * });
 * console.assert((await renderSvg(spec)).includes('alpha = 0.095'));
 * ```
 */
export function powerLawPlot(options: PowerLawPlotOptions): FigureSpec {
  const figure = resolveFigureOptions(options);
  const { lang } = figure;
  const x: AxisOptions = { ...options.x, scale: 'log' };
  const y: AxisOptions = { ...options.y, scale: 'log' };
  const { layers, names } = lineLayers({ ...options, x, y }, lang);
  if (!Array.isArray(options.fits)) throw new OptionError('fits', 'an array', options.fits);
  const styleNames = options.styleNames ?? {
    measured: { en: 'measured', zh: '实测' },
    fit: { en: 'power-law fit', zh: '幂律拟合' },
  };
  const measured = localize(requireText('styleNames.measured', styleNames.measured), lang);
  const fitted = localize(requireText('styleNames.fit', styleNames.fit), lang);
  const rows = options.fits.flatMap((fit, index) => fitRows(fit, index, options, names, lang, fitted));
  const labels = options.fits.flatMap((fit, index) => {
    const last = rows.filter((row) => row.fit === index).at(-1);
    return fit.label === undefined || last === undefined
      ? []
      : [{ ...last, label: localize(requireText(`fits[${index}].label`, fit.label), lang) }];
  });
  // The log scales and axes come from the measured layers: layers share scales.
  const position = {
    x: { field: 'x', type: 'quantitative' },
    y: { field: 'y', type: 'quantitative' },
  } as const;
  const color = { field: 'series', type: 'nominal', scale: { domain: names, range: [...okabeIto] } } as const;
  const fitLayers: LayerSpec[] = [
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        ...position,
        color,
        detail: { field: 'fit' },
        order: { field: 'index' },
        strokeDash: {
          field: 'style',
          type: 'nominal',
          scale: {
            domain: [measured, fitted],
            range: [
              [1, 0],
              [6, 4],
            ],
          },
          legend: {
            title: null,
            symbolType: 'stroke',
            symbolStrokeColor: '#333333',
            symbolStrokeWidth: 2,
            symbolSize: 300,
          },
        },
      },
    },
  ];
  if (labels.length > 0) {
    fitLayers.push({
      data: { values: labels },
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -8, fontSize: 11 },
      encoding: { ...position, color, text: { field: 'label' } },
    });
  }
  return figureSpec(figure, { layer: [...layers, ...fitLayers] });
}

interface FitRow {
  fit: number;
  index: number;
  series: string;
  style: string;
  x: number;
  y: number;
}

/** Samples one fitted curve over the x range of its series, log-spaced. */
function fitRows(
  fit: PowerLawFit,
  index: number,
  options: PowerLawPlotOptions,
  names: string[],
  lang: Lang,
  style: string,
): FitRow[] {
  const field = `fits[${index}]`;
  const name = localize(requireText(`${field}.series`, fit.series), lang);
  const seriesIndex = names.indexOf(name);
  const series = options.series[seriesIndex];
  if (series === undefined) throw new OptionError(`${field}.series`, `one of ${names.join(', ')}`, name);
  for (const key of ['coefficient', 'exponent', 'offset'] as const) {
    const value = fit[key] ?? 0;
    if (!Number.isFinite(value) || (key === 'coefficient' && value <= 0)) {
      throw new OptionError(
        `${field}.${key}`,
        key === 'coefficient' ? 'a finite number > 0' : 'a finite number',
        value,
      );
    }
  }
  const xs = series.points.map((point) => point.x);
  const low = Math.log(Math.min(...xs));
  const high = Math.log(Math.max(...xs));
  const offset = fit.offset ?? 0;
  return Array.from({ length: fitSamples }, (_, sample) => {
    const x = Math.exp(low + ((high - low) * sample) / (fitSamples - 1));
    const y = offset + fit.coefficient * x ** fit.exponent;
    if (!(y > 0)) throw new OptionError(field, 'a curve > 0 over the series (log y axis)', y);
    return { fit: index, index: sample, series: name, style, x, y };
  });
}
