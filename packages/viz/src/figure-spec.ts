import type { TopLevelSpec } from 'vega-lite';
import { type Lang, localize, type Text } from './localized-text.js';
import { OptionError } from './option-error.js';
import { fontSizes, panelSize, themeConfig } from './theme.js';
import { wrapText } from './wrap-text.js';

/** A Vega-Lite spec as the builders of this package return it (always with title, caption and theme). */
export type FigureSpec = TopLevelSpec;

/** A layer of a layered Vega-Lite spec. */
export type LayerSpec = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** Options every figure builder takes. */
export interface FigureOptions {
  /** The figure title (required). */
  title: Text;
  /** One or two sentences that say what the figure shows; drawn as the subtitle, wrapped (required). */
  caption: Text;
  /** Language of every text in the figure. Default `'en'`. */
  lang?: Lang;
  /** Width of the plotting area in pixels. Default 360. */
  width?: number;
  /** Height of the plotting area in pixels. Default 240. */
  height?: number;
}

/** A positional axis of a figure. */
export interface AxisOptions {
  /** The axis title, with units, e.g. `{ en: 'training characters D', zh: '训练字符数 D' }` (required). */
  title: Text;
  /** `'log'` for log axes (every value must then be > 0). Default `'linear'`. */
  scale?: 'linear' | 'log';
  /** Fixed [min, max] of the axis. Default: the data extent (with zero for linear y axes). */
  domain?: [number, number];
  /** d3-format string for tick labels, e.g. `'.0%'`. Default: Vega's choice for the scale. */
  format?: string;
}

/** Resolves the defaults of {@link FigureOptions} and checks them. */
export function resolveFigureOptions(options: FigureOptions): Required<FigureOptions> {
  const resolved = {
    title: options.title,
    caption: options.caption,
    lang: options.lang ?? 'en',
    width: options.width ?? panelSize.width,
    height: options.height ?? panelSize.height,
  };
  if (resolved.lang !== 'en' && resolved.lang !== 'zh') {
    throw new OptionError('lang', "'en' or 'zh'", resolved.lang);
  }
  for (const field of ['width', 'height'] as const) {
    const value = resolved[field];
    if (!Number.isInteger(value) || value < 40 || value > 4000) {
      throw new OptionError(field, 'an integer in [40, 4000]', value);
    }
  }
  requireText('title', resolved.title);
  requireText('caption', resolved.caption);
  return resolved;
}

/** Throws an {@link OptionError} unless `value` is a string or an `{ en, zh }` pair of strings. */
export function requireText(field: string, value: unknown): Text {
  const isPair =
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).en === 'string' &&
    typeof (value as Record<string, unknown>).zh === 'string';
  if (typeof value !== 'string' && !isPair) {
    throw new OptionError(field, 'a string or { en: string, zh: string }', JSON.stringify(value));
  }
  return value as Text;
}

/**
 * The title block of a figure: the title, and the caption wrapped to `widthPixels` as the subtitle.
 */
export function figureTitle(
  title: Text,
  caption: Text,
  lang: Lang,
  widthPixels: number,
): { text: string; subtitle: string[] } {
  return {
    text: localize(title, lang),
    subtitle: wrapText(localize(caption, lang), widthPixels / fontSizes.subtitle),
  };
}

/**
 * Wraps the body of a single-view figure (layers, data, encodings) into a complete spec: schema, theme,
 * size, title with caption, and the caption as the accessible description.
 */
export function figureSpec(options: Required<FigureOptions>, body: { layer: LayerSpec[] }): FigureSpec {
  const { title, caption, lang, width, height } = options;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: localize(caption, lang),
    // The caption may run over the legend column too, so wrap it a little wider than the plot.
    title: figureTitle(title, caption, lang, width + 100),
    width,
    height,
    config: themeConfig,
    ...body,
  };
}

/**
 * The Vega-Lite scale of an {@link AxisOptions}. Linear axes do not force zero into the domain: loss
 * curves between 2.0 and 2.5 would otherwise look flat.
 */
export function axisScale(axis: AxisOptions): {
  type: 'linear' | 'log';
  domain?: [number, number];
  zero?: false;
  nice?: false;
  padding?: number;
} {
  // A nice log domain rounds out to whole decades, which leaves most of a 16x sweep empty; a few pixels
  // of padding keep the extreme points off the frame instead.
  const scale =
    axis.scale === 'log'
      ? { type: 'log' as const, nice: false as const, padding: 8 }
      : { type: 'linear' as const, zero: false as const };
  return axis.domain === undefined ? scale : { ...scale, domain: axis.domain };
}

/** Checks an {@link AxisOptions} at `field`: a title, a known scale, a finite domain (> 0 on log axes). */
export function checkAxis(field: string, axis: AxisOptions): void {
  requireText(`${field}.title`, axis.title);
  if (axis.scale !== undefined && axis.scale !== 'linear' && axis.scale !== 'log') {
    throw new OptionError(`${field}.scale`, "'linear' or 'log'", axis.scale);
  }
  if (axis.domain !== undefined) {
    const [low, high] = axis.domain;
    const lowest = axis.scale === 'log' ? Number.MIN_VALUE : -Infinity;
    if (!Number.isFinite(low) || !Number.isFinite(high) || low >= high || low < lowest) {
      throw new OptionError(
        `${field}.domain`,
        `[min, max] with finite ${lowest > 0 ? '0 < ' : ''}min < max`,
        axis.domain,
      );
    }
  }
}

/** Throws an {@link OptionError} unless `value` can be drawn on `axis` (finite, and > 0 on a log axis). */
export function requireAxisValue(field: string, value: unknown, axis: AxisOptions): number {
  const isLog = axis.scale === 'log';
  if (typeof value !== 'number' || !Number.isFinite(value) || (isLog && value <= 0)) {
    throw new OptionError(field, isLog ? 'a finite number > 0 (log axis)' : 'a finite number', value);
  }
  return value;
}

/** The Vega-Lite axis of an {@link AxisOptions}. */
export function axisGuide(axis: AxisOptions, lang: Lang): { title: string; format?: string } {
  const title = localize(axis.title, lang);
  return axis.format === undefined ? { title } : { title, format: axis.format };
}
