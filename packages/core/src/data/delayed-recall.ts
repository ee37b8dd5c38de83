import { OptionError, requireIntegerInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** Options of {@link createDelayedRecall}. */
export interface DelayedRecallOptions {
  /** Distance d from the key to the query, an integer >= 1. Required. */
  distance: number;
  /** Number of plain symbols S (chance accuracy is 1/S), an integer in [2, 1000]. Default: `8`. */
  symbols?: number;
  /**
   * Sequence length, an integer >= distance + 1; the key sits uniformly in [0, length - 1 - distance],
   * so its position varies and position alone cannot solve the task. Default: `2 * distance`.
   */
  length?: number;
  /** Number of sequences, an integer >= 1. Required. */
  count: number;
  /** Seed of the symbols and key positions. Required. */
  seed: number;
}

/**
 * Delayed-recall sequences. Token ids: `0 .. S-1` are plain symbols, `S + s` is symbol `s` marked as the
 * key, `2S` is the query. The model reads the sequence causally and, at the query position, must output
 * the key's plain symbol.
 */
export interface DelayedRecallBatch {
  /** `count` sequences of `length` token ids, row-major. */
  readonly tokens: Int32Array;
  readonly length: number;
  /** `2 * symbols + 1`. */
  readonly vocabularySize: number;
  /** The query token id (`2 * symbols`). */
  readonly queryToken: number;
  /** Position of the marked key in each sequence. */
  readonly keyPositions: Int32Array;
  /** Position of the query in each sequence (`keyPosition + distance`). */
  readonly queryPositions: Int32Array;
  /** The answer of each sequence, a plain symbol id in [0, symbols). */
  readonly answers: Int32Array;
}

/**
 * Builds a delayed-recall task at a given distance: random plain symbols as distractors, one marked key
 * at a random offset and a query token `distance` positions after it; the answer is the key's symbol.
 * Positions after the query are distractors too (a causal model never sees them before answering).
 * @throws OptionError for out-of-range options.
 * @example
 * ```ts
 * import { createDelayedRecall } from '@emerge/core';
 *
 * const batch = createDelayedRecall({ distance: 32, count: 4, seed: 1 });
 * const first = batch.queryPositions[0]! - batch.keyPositions[0]!; // => 32
 * console.assert(first === 32);
 * // The query token sits at the query position; the answer is the marked key's plain symbol.
 * console.assert(batch.tokens[batch.queryPositions[0]!] === batch.queryToken);
 * ```
 */
export function createDelayedRecall(options: DelayedRecallOptions): DelayedRecallBatch {
  const distance = requireIntegerInRange('distance', options.distance, 1, 1_000_000);
  const symbols = requireIntegerInRange('symbols', options.symbols ?? 8, 2, 1000);
  const length = requireIntegerInRange('length', options.length ?? 2 * distance, distance + 1, 10_000_000);
  const count = requireIntegerInRange('count', options.count, 1, 10_000_000);
  if (count * length > 2 ** 31 - 1) throw new OptionError('count * length', 'below 2^31', count * length);
  const random = createRandom(options.seed).fork('delayed-recall');
  const queryToken = 2 * symbols;
  const tokens = new Int32Array(count * length);
  const keyPositions = new Int32Array(count);
  const queryPositions = new Int32Array(count);
  const answers = new Int32Array(count);
  for (let sequence = 0; sequence < count; sequence++) {
    const row = sequence * length;
    for (let position = 0; position < length; position++) tokens[row + position] = random.integer(symbols);
    const key = random.integer(length - distance);
    const answer = tokens[row + key] as number;
    tokens[row + key] = symbols + answer;
    tokens[row + key + distance] = queryToken;
    keyPositions[sequence] = key;
    queryPositions[sequence] = key + distance;
    answers[sequence] = answer;
  }
  return {
    tokens,
    length,
    vocabularySize: 2 * symbols + 1,
    queryToken,
    keyPositions,
    queryPositions,
    answers,
  };
}
