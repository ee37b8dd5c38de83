import { OptionError, requireIntegerInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** The binary operations of {@link createModularArithmetic}, all modulo p. */
export type ModularOperation = 'add' | 'subtract' | 'multiply' | 'divide';

/** Options of {@link createModularArithmetic}. */
export interface ModularArithmeticOptions {
  /** The modulus p, an integer in [2, 4096]; must be prime for `'divide'`. Required. */
  modulus: number;
  /** Which operation `a op b mod p` to tabulate. Default: `'add'`. */
  operation?: ModularOperation;
  /** Share of all pairs used for training, in (0, 1); the rest is the test set. Default: `0.5`. */
  trainFraction?: number;
  /** Seed of which pairs are in the training set. Required. */
  seed: number;
}

/** Every pair (a, b) of a modular operation table with its answer, split into train and test pairs. */
export interface ModularArithmeticDataset {
  readonly modulus: number;
  readonly operation: ModularOperation;
  /** Left operand of each pair, in [0, p). */
  readonly left: Int32Array;
  /** Right operand of each pair, in [0, p) (in [1, p) for `'divide'`). */
  readonly right: Int32Array;
  /** `left op right mod p` for each pair. */
  readonly answers: Int32Array;
  /** Indices (into the arrays above) of the training pairs, in a seeded order. */
  readonly trainIndices: Int32Array;
  /** Indices of the remaining, held-out pairs, ascending. */
  readonly testIndices: Int32Array;
}

function isPrime(value: number): boolean {
  if (value < 2) return false;
  for (let divisor = 2; divisor * divisor <= value; divisor++) if (value % divisor === 0) return false;
  return true;
}

/** b^exponent mod p by repeated squaring (exact for p <= 4096, where products stay below 2^53). */
function powerMod(base: number, exponent: number, modulus: number): number {
  let result = 1;
  let factor = base % modulus;
  for (let rest = exponent; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) result = (result * factor) % modulus;
    factor = (factor * factor) % modulus;
  }
  return result;
}

/**
 * The full table of `a op b mod p` over all pairs (p^2 pairs, or p(p-1) for division, where b = 0 is
 * left out), with a seeded train/test split of the pairs: the grokking task of Power et al. 2022.
 * Division is `a * b^(p-2) mod p` (Fermat's inverse), hence the prime modulus.
 * @throws OptionError for a modulus out of range, a non-prime modulus with `'divide'`, or a fraction
 * outside (0, 1) that leaves either side empty.
 * @example
 * ```ts
 * import { createModularArithmetic } from '@emerge/core';
 *
 * const task = createModularArithmetic({ modulus: 97, trainFraction: 0.5, seed: 1 });
 * task.trainIndices.length + task.testIndices.length; // => 9409 = 97 * 97 pairs
 * const first = task.trainIndices[0]!;
 * console.assert(task.answers[first] === (task.left[first]! + task.right[first]!) % 97);
 * ```
 */
export function createModularArithmetic(options: ModularArithmeticOptions): ModularArithmeticDataset {
  const modulus = requireIntegerInRange('modulus', options.modulus, 2, 4096);
  const operation = options.operation ?? 'add';
  const fraction = options.trainFraction ?? 0.5;
  if (!['add', 'subtract', 'multiply', 'divide'].includes(operation)) {
    throw new OptionError('operation', "'add', 'subtract', 'multiply' or 'divide'", operation);
  }
  if (operation === 'divide' && !isPrime(modulus)) {
    throw new OptionError('modulus', "a prime for 'divide'", modulus);
  }
  const firstRight = operation === 'divide' ? 1 : 0;
  const count = modulus * (modulus - firstRight);
  const trainCount = Math.round(fraction * count);
  if (
    typeof fraction !== 'number' ||
    !(fraction > 0 && fraction < 1) ||
    trainCount < 1 ||
    trainCount >= count
  ) {
    throw new OptionError(
      'trainFraction',
      `a number in (0, 1) leaving both sides of the ${count} pairs non-empty`,
      fraction,
    );
  }
  const left = new Int32Array(count);
  const right = new Int32Array(count);
  const answers = new Int32Array(count);
  let index = 0;
  for (let a = 0; a < modulus; a++) {
    for (let b = firstRight; b < modulus; b++) {
      left[index] = a;
      right[index] = b;
      answers[index] = apply(operation, a, b, modulus);
      index++;
    }
  }
  const order = createRandom(options.seed).fork('modular-arithmetic').permutation(count);
  return {
    modulus,
    operation,
    left,
    right,
    answers,
    trainIndices: Int32Array.from(order.slice(0, trainCount)),
    testIndices: Int32Array.from(order.slice(trainCount)).sort(),
  };
}

function apply(operation: ModularOperation, a: number, b: number, modulus: number): number {
  switch (operation) {
    case 'add':
      return (a + b) % modulus;
    case 'subtract':
      return (((a - b) % modulus) + modulus) % modulus;
    case 'multiply':
      return (a * b) % modulus;
    case 'divide':
      return (a * powerMod(b, modulus - 2, modulus)) % modulus;
  }
}
