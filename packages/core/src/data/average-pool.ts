import { requireIntegerInRange } from '../errors.js';

/**
 * Average-pools square images by `factor` x `factor` blocks (28x28 MNIST with factor 4 gives 7x7 = 49
 * inputs). The network double-descent figure needs inputs this small for its interpolation threshold
 * (n x classes parameters) to fall inside a width sweep that trains in minutes.
 * @param images `count` square images of `side` x `side` pixels, row-major, concatenated.
 * @returns `count` images of `(side / factor)^2` pixels.
 * @example
 * ```ts
 * import { averagePool } from '@emerge/core';
 *
 * // One 4x4 image pooled by 2x2 blocks: each output pixel is the mean of a block.
 * const image = new Float32Array([
 *   1, 1, 0, 0,
 *   1, 1, 0, 0,
 *   0, 0, 1, 0,
 *   0, 0, 0, 1,
 * ]);
 * const pooled = averagePool(image, 1, 4, 2); // => Float32Array [1, 0, 0, 0.5]
 * console.assert(pooled.join() === '1,0,0,0.5');
 * ```
 */
export function averagePool(images: Float32Array, count: number, side: number, factor: number): Float32Array {
  requireIntegerInRange('count', count, 0, Number.MAX_SAFE_INTEGER);
  requireIntegerInRange('side', side, 1, 65536);
  requireIntegerInRange('factor', factor, 1, side);
  if (side % factor !== 0) throw new RangeError(`factor must divide side ${side}, got ${factor}`);
  if (images.length !== count * side * side) {
    throw new RangeError(
      `images.length must be count * side * side = ${count * side * side}, got ${images.length}`,
    );
  }
  const pooledSide = side / factor;
  const pooled = new Float32Array(count * pooledSide * pooledSide);
  const scale = 1 / (factor * factor);
  for (let image = 0; image < count; image++) {
    const source = image * side * side;
    const target = image * pooledSide * pooledSide;
    for (let row = 0; row < side; row++) {
      for (let column = 0; column < side; column++) {
        const cell = target + Math.floor(row / factor) * pooledSide + Math.floor(column / factor);
        pooled[cell] = (pooled[cell] ?? 0) + (images[source + row * side + column] ?? 0) * scale;
      }
    }
  }
  return pooled;
}
