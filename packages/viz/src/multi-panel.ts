import type { TopLevelSpec } from 'vega-lite';
import { type FigureSpec, figureTitle, requireText } from './figure-spec.js';
import type { Lang, Text } from './localized-text.js';
import { localize } from './localized-text.js';
import { OptionError } from './option-error.js';
import { themeConfig } from './theme.js';

/** Options of {@link multiPanel}. */
export interface MultiPanelOptions {
  /** The shared title (required). */
  title: Text;
  /** The shared caption, drawn as the subtitle (required). */
  caption: Text;
  /** The panels, each built by a builder of this package with the same `lang` (required, 1 to 6). */
  panels: FigureSpec[];
  /** `'row'` puts the panels side by side, `'column'` stacks them. Default `'row'`. */
  direction?: 'row' | 'column';
  /** Language of the shared title and caption. Default `'en'`. */
  lang?: Lang;
}

type Panel = Omit<FigureSpec, '$schema' | 'config'>;

/**
 * Puts figures side by side (or stacked) under one title and caption. Each panel keeps its own title
 * (e.g. "(a) small batch"), drops its own caption, description and theme, and keeps its own scales and
 * legends.
 *
 * @example
 * ```ts
 * import { contourPlot, multiPanel, renderSvg } from '@emerge/viz';
 *
 * const basin = (values: number[][], title: string) =>
 *   contourPlot({
 *     title, caption: '',
 *     x: { title: 'direction 1', values: [-1, 0, 1] }, y: { title: 'direction 2', values: [-1, 0, 1] },
 *     values, color: { title: 'training loss' },
 *   });
 * const spec = multiPanel({
 *   title: { en: 'Loss landscapes', zh: '损失地形' },
 *   caption: { en: 'The small-batch basin is wider.', zh: '小批量的盆地更宽。' },
 *   panels: [basin([[1, 0.5, 1], [0.5, 0, 0.5], [1, 0.5, 1]], 'batch 32'), basin([[4, 2, 4], [2, 0, 2], [4, 2, 4]], 'batch 2048')],
 * });
 * console.assert((await renderSvg(spec)).includes('batch 2048'));
 * ```
 */
export function multiPanel(options: MultiPanelOptions): FigureSpec {
  const lang = options.lang ?? 'en';
  if (lang !== 'en' && lang !== 'zh') throw new OptionError('lang', "'en' or 'zh'", lang);
  requireText('title', options.title);
  requireText('caption', options.caption);
  const direction = options.direction ?? 'row';
  if (direction !== 'row' && direction !== 'column') {
    throw new OptionError('direction', "'row' or 'column'", direction);
  }
  if (!Array.isArray(options.panels) || options.panels.length < 1 || options.panels.length > 6) {
    throw new OptionError('panels', 'an array of 1 to 6 figure specs', options.panels?.length);
  }
  const panels = options.panels.map(panelOf);
  const widths = options.panels.map((panel) =>
    'width' in panel && typeof panel.width === 'number' ? panel.width : 0,
  );
  // Wrap the shared caption to the whole row of panels (panels are ~100 px wider than their plots).
  const captionWidth =
    direction === 'row' ? widths.reduce((sum, width) => sum + width + 100, -100) : Math.max(...widths);
  const shared = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: localize(options.caption, lang),
    title: { ...figureTitle(options.title, options.caption, lang, captionWidth), fontSize: 17 },
    config: themeConfig,
    resolve: { scale: { color: 'independent', strokeDash: 'independent' } },
  } as const;
  return (
    direction === 'row' ? { ...shared, hconcat: panels } : { ...shared, vconcat: panels }
  ) as TopLevelSpec;
}

/** A figure spec as a panel: no schema, theme or caption of its own (those are the shared ones). */
function panelOf(spec: FigureSpec, index: number): Panel {
  if (typeof spec !== 'object' || spec === null)
    throw new OptionError(`panels[${index}]`, 'a figure spec', spec);
  const { $schema: _schema, config: _config, description: _description, title, ...rest } = spec;
  const text = typeof title === 'object' && title !== null && 'text' in title ? title.text : title;
  return (text === undefined ? rest : { ...rest, title: { text, fontSize: 14 } }) as Panel;
}
