import type { Config } from 'vega-lite';

/**
 * The Okabe-Ito palette (Okabe & Ito 2008), ordered so that the first colours differ most for readers
 * with any common colour-vision deficiency; yellow comes last because it is faint on white.
 */
export const okabeIto: readonly string[] = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
];

/**
 * The font families of every figure, first match wins. Noto Sans S Chinese is the family of the font
 * that `@emerge/viz/node` hands to resvg for PNGs; the others let browsers find a CJK and Latin font.
 */
export const fontFamily =
  "'Noto Sans S Chinese', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'PingFang SC', " +
  "'Microsoft YaHei', 'WenQuanYi Zen Hei', 'Helvetica Neue', Arial, sans-serif";

/** Size of one panel's plotting area, in CSS pixels, so that all figures line up in the report. */
export const panelSize = { width: 360, height: 240 } as const;

/** Font sizes in CSS pixels (readable at 100% zoom and in a 2x PNG on a slide). */
export const fontSizes = { title: 16, subtitle: 12, axisTitle: 13, label: 11, legend: 12 } as const;

/** The colour scheme of heatmaps and contour fills: perceptually uniform and colour-blind safe. */
export const sequentialScheme = 'viridis' as const;

/** The Vega-Lite `config` of every figure: one theme for the whole report. */
export const themeConfig: Config = {
  background: 'white',
  padding: 8,
  font: fontFamily,
  view: { stroke: '#888888' },
  range: { category: [...okabeIto] },
  title: {
    anchor: 'start',
    fontSize: fontSizes.title,
    fontWeight: 'bold',
    subtitleFontSize: fontSizes.subtitle,
    subtitleColor: '#333333',
    subtitlePadding: 6,
    offset: 12,
  },
  axis: {
    titleFontSize: fontSizes.axisTitle,
    titleFontWeight: 'normal',
    labelFontSize: fontSizes.label,
    gridColor: '#e4e4e4',
    tickColor: '#888888',
    domainColor: '#888888',
  },
  legend: {
    titleFontSize: fontSizes.legend,
    titleFontWeight: 'normal',
    labelFontSize: fontSizes.legend,
    labelLimit: 240,
  },
  line: { strokeWidth: 2 },
  point: { size: 36, filled: true },
};
