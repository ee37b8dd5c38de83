export { type ContourPlotOptions, contourPlot } from './contour-plot.js';
export { escapeHtml } from './escape-html.js';
export type { AxisOptions, FigureOptions, FigureSpec } from './figure-spec.js';
export { type HeatmapAxis, type HeatmapOptions, heatmap, type MarkedCell } from './heatmap.js';
export { type Grid, isolineSegments, type Segment } from './isolines.js';
export {
  type Annotation,
  type LinePlotOptions,
  type LinePoint,
  type LineSeries,
  linePlot,
} from './line-plot.js';
export { type Lang, type LocalizedText, localize, type Text } from './localized-text.js';
export { type MultiPanelOptions, multiPanel } from './multi-panel.js';
export { OptionError } from './option-error.js';
export { type PowerLawFit, type PowerLawPlotOptions, powerLawPlot } from './power-law-plot.js';
export { type RenderSvgOptions, renderSvg } from './render-svg.js';
export {
  type ReportClaim,
  type ReportFigure,
  type ReportOptions,
  type ReportProvenance,
  renderReport,
} from './report.js';
export { estimateTextWidthEm } from './text-width.js';
export { fontFamily, okabeIto, panelSize, themeConfig } from './theme.js';
export { wrapText } from './wrap-text.js';
