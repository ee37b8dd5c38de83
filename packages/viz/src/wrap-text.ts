import { estimateTextWidthEm, wideCharacters } from './text-width.js';

/** Tokens: runs of spaces, single wide characters, or runs of other characters (words). */
const tokenPattern = new RegExp(`\\s+|[${wideCharacters}]|[^\\s${wideCharacters}]+`, 'g');

/**
 * Splits `text` into lines at most `maxWidthEm` em wide (estimated by {@link estimateTextWidthEm}),
 * breaking Latin text at spaces and CJK text between any two characters. Vega titles do not wrap by
 * themselves, and a caption must stay inside the figure, so captions are wrapped here.
 *
 * @example
 * ```ts
 * import { wrapText } from '@emerge/viz';
 *
 * wrapText('a b c', 2); // => ['a b', 'c']
 * console.assert(wrapText('a b c', 2).join('|') === 'a b|c');
 * ```
 */
export function wrapText(text: string, maxWidthEm: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const token of text.match(tokenPattern) ?? []) {
    if (/^\s+$/.test(token)) {
      if (line !== '') line += ' ';
      continue;
    }
    if (line.trim() !== '' && estimateTextWidthEm(line + token) > maxWidthEm) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += token;
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}
