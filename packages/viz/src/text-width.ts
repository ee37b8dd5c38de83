/** Characters drawn one em wide: CJK ideographs and punctuation, Hangul, full-width forms. */
export const wideCharacters = '\\u2e80-\\u9fff\\uac00-\\ud7af\\uff00-\\uffef';

const widePattern = new RegExp(`[${wideCharacters}]`);

/** Average advance of other characters in em, a little above Noto Sans' Latin so text is not clipped. */
const narrowWidthEm = 0.58;

/**
 * Estimated width of `text` in em: wide (CJK) characters 1 em, others 0.58 em. Used where no font
 * metrics are at hand (headless layout and caption wrapping); deterministic by design.
 *
 * @example
 * ```ts
 * import { estimateTextWidthEm } from '@emerge/viz';
 *
 * estimateTextWidthEm('损失 loss'); // => 4.9: 2 CJK characters at 1 em, 5 Latin ones at 0.58 em
 * console.assert(Math.abs(estimateTextWidthEm('损失 loss') - 4.9) < 1e-9);
 * ```
 */
export function estimateTextWidthEm(text: string): number {
  let width = 0;
  for (const character of text) width += widePattern.test(character) ? 1 : narrowWidthEm;
  return width;
}
