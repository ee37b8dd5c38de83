/** The languages a figure can be drawn in. */
export type Lang = 'en' | 'zh';

/** A text given in both languages of the figures. */
export interface LocalizedText {
  en: string;
  zh: string;
}

/** Text that is either the same in every language (e.g. `LSTM`) or given per language. */
export type Text = string | LocalizedText;

/**
 * Picks the string of `text` for `lang`; a plain string is the same in every language.
 *
 * @example
 * ```ts
 * import { localize } from '@emerge/viz';
 *
 * localize({ en: 'test loss', zh: '测试损失' }, 'zh'); // => '测试损失'
 * console.assert(localize({ en: 'test loss', zh: '测试损失' }, 'zh') === '测试损失');
 * ```
 */
export function localize(text: Text, lang: Lang): string {
  return typeof text === 'string' ? text : text[lang];
}
