import { OptionError, requireIntegerInRange } from '../errors.js';
import { createRandom, type Random } from '../random.js';
import { type ImageSet, takeImages } from './image-set.js';
import type { LabelledImages } from './mnist.js';

/** Options of {@link splitMnist}. */
export interface SplitOptions {
  /** Number of training images; an integer >= 1. Required. */
  trainSize: number;
  /** Number of test images; an integer >= 0. Required. */
  testSize: number;
  /** Seed of the draw; the same seed gives the same two sets. Required. */
  seed: number;
  /**
   * Whether each set holds an equal number of images per class (as equal as the classes' sizes allow:
   * counts differ by at most one between classes that are not exhausted). With `false`, the sets are a
   * uniform draw and follow the source's natural class mix. Default: `true`.
   */
  balanced?: boolean;
}

/** A training set and a test set drawn from the same source without overlap. */
export interface TrainTestSplit {
  readonly train: ImageSet;
  readonly test: ImageSet;
}

/**
 * Draws disjoint training and test sets from a labelled image collection (usually {@link loadMnist}'s
 * digits), deterministically from a seed. Each set comes out in a shuffled order, so any prefix of it is
 * itself a mixed sample.
 * @throws OptionError when a size is not an integer or both together exceed the source.
 * @example
 * ```ts
 * import { loadMnist, splitMnist } from '@emerge/core';
 *
 * const { train, test } = splitMnist(await loadMnist(), { trainSize: 1000, testSize: 2000, seed: 1, balanced: true });
 * train.count; // => 1000, 100 of each digit
 * console.assert(train.count === 1000 && test.count === 2000 && train.labels.filter((label) => label === 3).length === 100);
 * ```
 */
export function splitMnist(source: LabelledImages, options: SplitOptions): TrainTestSplit {
  const trainSize = requireIntegerInRange('trainSize', options.trainSize, 1, source.count);
  const testSize = requireIntegerInRange('testSize', options.testSize, 0, source.count);
  if (trainSize + testSize > source.count) {
    throw new OptionError(
      'trainSize + testSize',
      `at most the ${source.count} images available`,
      trainSize + testSize,
    );
  }
  const random = createRandom(options.seed).fork('split-images');
  const [trainIndices, testIndices] =
    (options.balanced ?? true)
      ? drawBalanced(source.labels, trainSize, testSize, random)
      : drawNatural(source.count, trainSize, testSize, random);
  return { train: takeImages(source, trainIndices), test: takeImages(source, testIndices) };
}

function drawNatural(
  count: number,
  trainSize: number,
  testSize: number,
  random: Random,
): [number[], number[]] {
  const order = random.permutation(count);
  return [order.slice(0, trainSize), order.slice(trainSize, trainSize + testSize)];
}

/**
 * Shuffles each class's images once, gives the training set the first `quota` of each class and the test
 * set the next ones, so the sets cannot overlap.
 */
function drawBalanced(
  labels: Uint8Array,
  trainSize: number,
  testSize: number,
  random: Random,
): [number[], number[]] {
  const byClass: number[][] = [];
  labels.forEach((label, index) => {
    byClass[label] ??= [];
    byClass[label].push(index);
  });
  const pools = byClass.filter((members) => members !== undefined).map((members) => random.shuffle(members));
  const trainQuota = fairQuotas(
    pools.map((pool) => pool.length),
    trainSize,
    random,
  );
  const testQuota = fairQuotas(
    pools.map((pool, index) => pool.length - (trainQuota[index] as number)),
    testSize,
    random,
  );
  const train: number[] = [];
  const test: number[] = [];
  pools.forEach((pool, index) => {
    const trainTaken = trainQuota[index] as number;
    train.push(...pool.slice(0, trainTaken));
    test.push(...pool.slice(trainTaken, trainTaken + (testQuota[index] as number)));
  });
  return [random.shuffle(train), random.shuffle(test)];
}

/**
 * Splits `total` over classes as evenly as their capacities allow: one image per class in turn (the
 * classes visited in a seeded order, so no class is always favoured by the remainder), skipping full ones.
 */
function fairQuotas(capacities: number[], total: number, random: Random): number[] {
  const quotas = capacities.map(() => 0);
  const order = random.permutation(capacities.length);
  let remaining = total;
  while (remaining > 0) {
    for (const index of order) {
      if (remaining === 0) break;
      if ((quotas[index] as number) < (capacities[index] as number)) {
        quotas[index] = (quotas[index] as number) + 1;
        remaining--;
      }
    }
  }
  return quotas;
}
