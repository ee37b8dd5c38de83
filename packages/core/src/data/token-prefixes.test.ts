import { describe, expect, it } from 'vitest';
import { tokenPrefixes } from './token-prefixes.js';

describe('tokenPrefixes', () => {
  it('returns nested prefixes of the requested sizes', () => {
    const tokens = Int32Array.from([5, 6, 7, 8, 9]);
    const [small, large] = tokenPrefixes(tokens, [2, 4]);
    expect(Array.from(small!)).toEqual([5, 6]);
    expect(Array.from(large!)).toEqual([5, 6, 7, 8]);
  });

  it('rejects sizes beyond the stream', () => {
    expect(() => tokenPrefixes(new Int32Array(3), [2, 4])).toThrow(
      'sizes[1] must be an integer in [1, 3], got 4',
    );
  });
});
