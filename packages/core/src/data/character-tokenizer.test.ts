import { describe, expect, it } from 'vitest';
import { createCharacterTokenizer } from './character-tokenizer.js';

describe('createCharacterTokenizer', () => {
  it('puts the unknown token first, then the characters sorted by code point', () => {
    const tokenizer = createCharacterTokenizer(['abc', 'cab!']);
    expect(tokenizer.vocabulary).toEqual(['\uFFFD', '!', 'a', 'b', 'c']);
    expect(tokenizer.vocabularySize).toBe(5);
    expect(tokenizer.unknownId).toBe(0);
  });

  it('builds the same vocabulary whatever the order of the texts', () => {
    expect(createCharacterTokenizer(['zebra\n', 'apple']).vocabulary).toEqual(
      createCharacterTokenizer(['apple', 'zebra\n']).vocabulary,
    );
  });

  it('encodes unseen characters as unknown and round-trips known text', () => {
    const tokenizer = createCharacterTokenizer(['hello world']);
    // vocabulary: unknown, ' ', d, e, h, l, o, r, w
    expect(Array.from(tokenizer.encode('hold!'))).toEqual([4, 6, 5, 2, 0]);
    expect(tokenizer.decode(tokenizer.encode('world hello'))).toBe('world hello');
    expect(tokenizer.decode([4, 0])).toBe('h\uFFFD');
  });

  it('treats a character outside the basic plane as one token', () => {
    const tokenizer = createCharacterTokenizer(['a😀']);
    expect(tokenizer.encode('😀a').length).toBe(2);
    expect(tokenizer.decode(tokenizer.encode('😀a'))).toBe('😀a');
  });
});
