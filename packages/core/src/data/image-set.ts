import type { LabelledImages } from './mnist.js';

/** A subset of a larger image collection that remembers which of the source's images it holds. */
export interface ImageSet extends LabelledImages {
  /** For each image of this set, its index in the source collection (e.g. into the 10,000 MNIST digits). */
  readonly indices: Int32Array;
}

/** Pixels per image of a flat collection, checked to divide the pixel buffer evenly. */
export function pixelsPerImage(source: LabelledImages): number {
  if (
    source.count <= 0 ||
    source.images.length % source.count !== 0 ||
    source.labels.length !== source.count
  ) {
    throw new RangeError(
      `an image collection needs count > 0, images.length a multiple of count and one label per image; got count ${source.count}, ${source.images.length} pixels, ${source.labels.length} labels`,
    );
  }
  return source.images.length / source.count;
}

/**
 * Copies the images at `indices` (in that order) out of `source` into a new {@link ImageSet}.
 * @example
 * ```ts
 * import { loadMnist, takeImages } from '@emerge/core';
 *
 * const digits = await loadMnist();
 * const firstTwo = takeImages(digits, [0, 1]);
 * firstTwo.count; // => 2
 * Array.from(firstTwo.indices); // => [0, 1]: where each image came from
 * console.assert(firstTwo.count === 2 && firstTwo.images.length === 2 * 784 && firstTwo.labels[0] === digits.labels[0]);
 * ```
 */
export function takeImages(source: LabelledImages, indices: ArrayLike<number>): ImageSet {
  const pixels = pixelsPerImage(source);
  const count = indices.length;
  const images = new Float32Array(count * pixels);
  const labels = new Uint8Array(count);
  const kept = new Int32Array(count);
  for (let position = 0; position < count; position++) {
    const index = indices[position] as number;
    if (!Number.isInteger(index) || index < 0 || index >= source.count) {
      throw new RangeError(`image index ${index} is outside [0, ${source.count - 1}]`);
    }
    images.set(source.images.subarray(index * pixels, (index + 1) * pixels), position * pixels);
    labels[position] = source.labels[index] as number;
    kept[position] = index;
  }
  return { images, labels, count, indices: kept };
}
