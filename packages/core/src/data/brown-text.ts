/**
 * Turns one Brown corpus file (`word/tag` tokens, one sentence per line, paragraphs indented) into plain
 * lowercased text: tags are dropped (everything from a token's last `/`), the corpus's quote marks
 * `` and '' become `"`, tokens are joined by single spaces and sentences by newlines. Punctuation stays
 * a separate token (`election , the`), exactly as the corpus tokenized it.
 * @example
 * ```ts
 * import { brownToPlainText } from '@emerge/core';
 *
 * brownToPlainText('The/at jury/nn said/vbd ``/`` no/at ./.'); // => 'the jury said " no .'
 * console.assert(brownToPlainText('The/at jury/nn said/vbd ``/`` no/at ./.') === 'the jury said " no .');
 * ```
 */
export function brownToPlainText(tagged: string): string {
  const sentences: string[] = [];
  for (const line of tagged.split('\n')) {
    const words = line
      .split(/\s+/)
      .filter((token) => token.length > 0)
      .map((token) => {
        const slash = token.lastIndexOf('/');
        const word = slash > 0 ? token.slice(0, slash) : token;
        return word === '``' || word === "''" ? '"' : word.toLowerCase();
      });
    if (words.length > 0) sentences.push(words.join(' '));
  }
  return sentences.join('\n');
}
