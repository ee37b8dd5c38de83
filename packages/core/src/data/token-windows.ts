import { OptionError, requireIntegerInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** Next-token training pairs: `targets` is `inputs` shifted left by one token. */
export interface TokenWindows {
  /** `count` windows of `contextLength` token ids, row-major. */
  readonly inputs: Int32Array;
  /** For each input token, the token that follows it in the stream. */
  readonly targets: Int32Array;
  /** Number of windows. */
  readonly count: number;
  readonly contextLength: number;
}

/** Options of {@link sampleTokenWindows}. */
export interface SampleWindowOptions {
  /** Tokens per window, an integer in [1, tokens.length - 1]. Required. */
  contextLength: number;
  /** Number of windows, an integer >= 1. Required. */
  count: number;
  /** Seed of the window starts (uniform over every start that fits). Required. */
  seed: number;
}

/**
 * Random next-token windows from a token stream (a language-model training batch): each window starts
 * uniformly at a position that leaves room for its targets.
 * @throws OptionError when the stream is too short for the context length.
 * @example
 * ```ts
 * import { sampleTokenWindows } from '@emerge/core';
 *
 * const tokens = Int32Array.from({ length: 1000 }, (_, index) => index % 50);
 * const batch = sampleTokenWindows(tokens, { contextLength: 64, count: 32, seed: 0 });
 * batch.inputs.length; // => 2048 (32 windows of 64 tokens)
 * // Each target is the token that follows its input in the stream.
 * console.assert(batch.targets[0] === (batch.inputs[0]! + 1) % 50);
 * ```
 */
export function sampleTokenWindows(tokens: Int32Array, options: SampleWindowOptions): TokenWindows {
  const contextLength = requireContextLength(tokens, options.contextLength);
  const count = requireIntegerInRange('count', options.count, 1, Math.floor((2 ** 31 - 1) / contextLength));
  const random = createRandom(options.seed).fork('token-windows');
  const starts = Array.from({ length: count }, () => random.integer(tokens.length - contextLength));
  return gatherWindows(tokens, starts, contextLength);
}

/** Options of {@link tileTokenWindows}. */
export interface TileWindowOptions {
  /** Tokens per window, an integer in [1, tokens.length - 1]. Required. */
  contextLength: number;
  /** Upper limit on the number of windows, an integer >= 1. Default: as many as fit. */
  maxWindows?: number;
}

/**
 * Consecutive, non-overlapping next-token windows from the start of a stream (the tail that does not
 * fill a window is left out), at most `maxWindows` of them: a fixed validation set that every model is
 * scored on alike.
 * @throws OptionError when the stream is too short for one window.
 * @example
 * ```ts
 * import { tileTokenWindows } from '@emerge/core';
 *
 * const tokens = Int32Array.from({ length: 1000 }, (_, index) => index % 50);
 * const validation = tileTokenWindows(tokens, { contextLength: 64, maxWindows: 256 });
 * validation.count; // => 15: 999 tokens with targets fill 15 windows of 64
 * console.assert(validation.count === 15 && validation.inputs[64] === 64 % 50);
 * ```
 */
export function tileTokenWindows(tokens: Int32Array, options: TileWindowOptions): TokenWindows {
  const contextLength = requireContextLength(tokens, options.contextLength);
  const fitting = Math.floor((tokens.length - 1) / contextLength);
  const count = Math.min(
    fitting,
    requireIntegerInRange('maxWindows', options.maxWindows ?? fitting, 1, Number.MAX_SAFE_INTEGER),
  );
  return gatherWindows(
    tokens,
    Array.from({ length: count }, (_, window) => window * contextLength),
    contextLength,
  );
}

function requireContextLength(tokens: Int32Array, contextLength: number): number {
  if (tokens.length < 2) throw new OptionError('tokens.length', 'at least 2', tokens.length);
  return requireIntegerInRange('contextLength', contextLength, 1, tokens.length - 1);
}

function gatherWindows(tokens: Int32Array, starts: number[], contextLength: number): TokenWindows {
  const inputs = new Int32Array(starts.length * contextLength);
  const targets = new Int32Array(starts.length * contextLength);
  starts.forEach((start, window) => {
    inputs.set(tokens.subarray(start, start + contextLength), window * contextLength);
    targets.set(tokens.subarray(start + 1, start + 1 + contextLength), window * contextLength);
  });
  return { inputs, targets, count: starts.length, contextLength };
}
