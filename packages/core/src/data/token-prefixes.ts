import { requireIntegerInRange } from '../errors.js';

/**
 * Views of the first `size` tokens of `tokens` for each size, in the order given: nested training sets
 * for data-scaling curves (each a prefix of every larger one, so adding data never swaps old data out).
 * The views share memory with `tokens`.
 * @throws OptionError when a size is not an integer in [1, tokens.length].
 * @example
 * ```ts
 * import { tokenPrefixes } from '@emerge/core';
 *
 * const tokens = Int32Array.from({ length: 65536 }, (_, index) => index % 97);
 * const [small, large] = tokenPrefixes(tokens, [4096, 65536]);
 * small!.length; // => 4096, the first 4096 tokens of `large`
 * console.assert(small!.length === 4096 && large!.length === 65536 && small![100] === large![100]);
 * ```
 */
export function tokenPrefixes(tokens: Int32Array, sizes: readonly number[]): Int32Array[] {
  return sizes.map((size, index) => {
    requireIntegerInRange(`sizes[${index}]`, size, 1, tokens.length);
    return tokens.subarray(0, size);
  });
}
