/** Maps text to integer ids one character (Unicode code point) at a time. */
export interface CharacterTokenizer {
  /** The symbol of each id: `vocabulary[0]` is the unknown token, then the known characters sorted by code point. */
  readonly vocabulary: readonly string[];
  /** Number of ids, including the unknown token. */
  readonly vocabularySize: number;
  /** The id given to characters that were not in the text the tokenizer was built from (always 0). */
  readonly unknownId: number;
  /** The ids of `text`, one per code point. */
  encode(text: string): Int32Array;
  /** The text of `ids`; the unknown id decodes to U+FFFD. */
  decode(ids: ArrayLike<number>): string;
}

/** How the unknown token is displayed by {@link CharacterTokenizer.decode}. */
const UNKNOWN_SYMBOL = '\uFFFD';

/**
 * Builds a character tokenizer whose vocabulary depends only on which characters occur in `texts` (not on
 * their order or counts), so the same corpus always gives the same ids. Build it from the training text
 * alone; characters seen only later map to the unknown id 0.
 * @example
 * ```ts
 * import { createCharacterTokenizer } from '@emerge/core';
 *
 * const tokenizer = createCharacterTokenizer(['abc', 'cab!']);
 * tokenizer.vocabulary; // => ['\uFFFD', '!', 'a', 'b', 'c']
 * tokenizer.encode('cz'); // => Int32Array [4, 0]: unknown characters map to 0
 * console.assert(tokenizer.vocabulary.join('') === '\uFFFD!abc' && tokenizer.encode('cz').join() === '4,0');
 * ```
 */
export function createCharacterTokenizer(texts: Iterable<string>): CharacterTokenizer {
  const characters = new Set<string>();
  for (const text of texts) for (const character of text) characters.add(character);
  const sorted = [...characters].sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number));
  const vocabulary = [UNKNOWN_SYMBOL, ...sorted];
  const ids = new Map(sorted.map((character, index) => [character, index + 1]));
  return {
    vocabulary,
    vocabularySize: vocabulary.length,
    unknownId: 0,
    encode(text) {
      return Int32Array.from(text, (character) => ids.get(character) ?? 0);
    },
    decode(tokenIds) {
      return Array.from(tokenIds, (id) => vocabulary[id] ?? UNKNOWN_SYMBOL).join('');
    },
  };
}
