/**
 * Seeded, splittable pseudo-random numbers.
 *
 * Every random draw in emerge-figures flows from one integer seed through this module, so a figure is
 * reproducible bit for bit from its seed. The generator is xoshiro128** (fast, 128-bit state, passes
 * BigCrush); seeds and stream labels are expanded into state with SplitMix32-style mixing so that
 * nearby seeds and labels give unrelated streams.
 */

/** A deterministic source of random numbers; create one with {@link createRandom}. */
export interface Random {
  /** The seed this generator was created from (after label mixing, for forks). */
  readonly seed: number;
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 32 bits of randomness. */
  uniform(): number;
  /** A uniform float in [low, high). */
  uniformIn(low: number, high: number): number;
  /** A uniform integer in [0, count). */
  integer(count: number): number;
  /** A standard normal draw (Box-Muller). */
  normal(): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** A random permutation of 0 .. count - 1. */
  permutation(count: number): number[];
  /**
   * An independent generator derived from this one's seed and a label; forking does not advance this
   * generator, so `fork('data')` is the same stream however many draws came before.
   */
  fork(label: string | number): Random;
}

const UINT32 = 4294967296;

/** One SplitMix32 scramble of a 32-bit integer. */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Hashes a label into 32 bits (FNV-1a followed by a scramble). */
function hashLabel(label: string | number): number {
  const text = String(label);
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return mix32(hash >>> 0);
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * Creates a seeded generator.
 * @param seed any safe integer; the same seed gives the same stream on every platform.
 * @example
 * ```ts
 * import { createRandom } from '@emerge/core';
 *
 * const random = createRandom(42);
 * const coin = random.uniform() < 0.5;
 * // A fork is an independent stream named by a label: drawing from it leaves `random` untouched,
 * // so adding a data draw never shifts the weights' draws.
 * const dataRandom = random.fork('data');
 * console.assert(createRandom(42).fork('data').uniform() === dataRandom.uniform());
 * console.assert(typeof coin === 'boolean');
 * ```
 */
export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${seed}`);
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / UINT32) >>> 0;
  let s0 = mix32(low ^ 0x243f6a88);
  let s1 = mix32(s0 ^ high);
  let s2 = mix32(s1 ^ 0x13198a2e);
  let s3 = mix32(s2 ^ 0x03707344);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  let spareNormal: number | undefined;

  const nextUint32 = (): number => {
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
    const shifted = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= shifted;
    s3 = rotateLeft(s3, 11);
    return result;
  };
  const uniform = (): number => nextUint32() / UINT32;

  const random: Random = {
    seed,
    nextUint32,
    uniform,
    uniformIn: (lowBound, highBound) => lowBound + (highBound - lowBound) * uniform(),
    integer(count) {
      if (!Number.isInteger(count) || count <= 0 || count > UINT32) {
        throw new RangeError(`count must be an integer in [1, 2^32], got ${count}`);
      }
      // Rejection sampling keeps every integer exactly equally likely.
      const limit = UINT32 - (UINT32 % count);
      let draw = nextUint32();
      while (draw >= limit) draw = nextUint32();
      return draw % count;
    },
    normal() {
      if (spareNormal !== undefined) {
        const value = spareNormal;
        spareNormal = undefined;
        return value;
      }
      let u = uniform();
      while (u === 0) u = uniform();
      const v = uniform();
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    shuffle(items) {
      for (let index = items.length - 1; index > 0; index--) {
        const other = random.integer(index + 1);
        const held = items[index] as (typeof items)[number];
        items[index] = items[other] as (typeof items)[number];
        items[other] = held;
      }
      return items;
    },
    permutation(count) {
      return random.shuffle(Array.from({ length: count }, (_, index) => index));
    },
    fork(label) {
      const derived = (mix32(low ^ hashLabel(label)) ^ Math.imul(high, 0x27d4eb2d)) >>> 0;
      return createRandom(derived + (hashLabel(`${label}:${seed}`) % 0x1fffff) * UINT32);
    },
  };
  return random;
}
