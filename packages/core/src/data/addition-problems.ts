import { OptionError, requireIntegerInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** The symbols of addition problems: ids 0-9 are the digits, 10 is `+`, 11 is `=`. */
export const ADDITION_VOCABULARY: readonly string[] = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '+',
  '=',
];
/** Token id of `+`. */
export const PLUS_TOKEN = 10;
/** Token id of `=`. */
export const EQUALS_TOKEN = 11;

/** Options of {@link createAdditionProblems}. */
export interface AdditionOptions {
  /** Digits per operand, an integer in [1, 9]; operands are drawn uniformly from [0, 10^digits). Required. */
  digits: number;
  /** Number of problems, an integer >= 1. Required. */
  count: number;
  /**
   * Order of the answer's digits: `'msb-first'` writes it as usual, `'reversed'` least significant digit
   * first (the carry then flows in generation order). Default: `'msb-first'`.
   */
  answerOrder?: 'msb-first' | 'reversed';
  /** Seed of the operands. Required. */
  seed: number;
}

/** Addition problems as fixed-length token sequences `a + b = c`. */
export interface AdditionProblems {
  /** `count` sequences of `sequenceLength` token ids, row-major. */
  readonly tokens: Int32Array;
  /** `3 * digits + 3`: two zero-padded operands, `+`, `=` and a `digits + 1` digit answer. */
  readonly sequenceLength: number;
  /** Position of the first answer token in every sequence (`2 * digits + 2`). */
  readonly answerStart: number;
  /** Number of answer tokens (`digits + 1`). */
  readonly answerLength: number;
  /** The operands and sums, for checking. */
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly sums: Int32Array;
}

/**
 * Random multi-digit additions written as token sequences, e.g. with 2 digits `07+35=042`: operands
 * zero-padded to `digits`, the answer zero-padded to `digits + 1`. Problems are drawn independently, so
 * two calls with different seeds can share a problem (rare beyond 3 digits: there are 10^(2 digits)).
 * @throws OptionError when `digits`, `count` or `answerOrder` is invalid.
 * @example
 * ```ts
 * import { createAdditionProblems } from '@emerge/core';
 *
 * const problems = createAdditionProblems({ digits: 4, count: 128, seed: 1 });
 * problems.sequenceLength; // => 15: '1234+5678=06912' as 4 + 1 + 4 + 1 + 5 tokens
 * // Next-token targets on positions >= answerStart - 1 predict the answer.
 * console.assert(problems.sequenceLength === 15 && problems.sums[0] === problems.left[0]! + problems.right[0]!);
 * ```
 */
export function createAdditionProblems(options: AdditionOptions): AdditionProblems {
  const digits = requireIntegerInRange('digits', options.digits, 1, 9);
  const count = requireIntegerInRange('count', options.count, 1, 10_000_000);
  const answerOrder = options.answerOrder ?? 'msb-first';
  if (answerOrder !== 'msb-first' && answerOrder !== 'reversed') {
    throw new OptionError('answerOrder', "'msb-first' or 'reversed'", answerOrder);
  }
  const random = createRandom(options.seed).fork('addition');
  const limit = 10 ** digits;
  const answerLength = digits + 1;
  const answerStart = 2 * digits + 2;
  const sequenceLength = answerStart + answerLength;
  const tokens = new Int32Array(count * sequenceLength);
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  const sums = new Int32Array(count);
  for (let problem = 0; problem < count; problem++) {
    const a = random.integer(limit);
    const b = random.integer(limit);
    left[problem] = a;
    right[problem] = b;
    sums[problem] = a + b;
    const row = problem * sequenceLength;
    writeDigits(tokens, row, a, digits, false);
    tokens[row + digits] = PLUS_TOKEN;
    writeDigits(tokens, row + digits + 1, b, digits, false);
    tokens[row + answerStart - 1] = EQUALS_TOKEN;
    writeDigits(tokens, row + answerStart, a + b, answerLength, answerOrder === 'reversed');
  }
  return { tokens, sequenceLength, answerStart, answerLength, left, right, sums };
}

/** Writes `value` as `width` zero-padded decimal digits at `offset`, most significant first unless reversed. */
function writeDigits(
  target: Int32Array,
  offset: number,
  value: number,
  width: number,
  reversed: boolean,
): void {
  let rest = value;
  for (let place = 0; place < width; place++) {
    const position = reversed ? offset + place : offset + width - 1 - place;
    target[position] = rest % 10;
    rest = Math.floor(rest / 10);
  }
}
