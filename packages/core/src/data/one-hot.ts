import { requireIntegerInRange } from '../errors.js';

/**
 * One-hot rows for class labels, flat and row-major (`[labels.length, classes]`), for least-squares fits
 * and squared losses that want targets as plain numbers rather than tensors.
 * @throws OptionError when `classes` is not an integer >= 1 or a label is outside [0, classes).
 * @example
 * ```ts
 * import { oneHot } from '@emerge/core';
 *
 * oneHot([2, 0], 3); // => Float32Array [0, 0, 1, 1, 0, 0]
 * console.assert(oneHot([2, 0], 3).join() === '0,0,1,1,0,0');
 * ```
 */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  requireIntegerInRange('classes', classes, 1, 2 ** 16);
  const rows = new Float32Array(labels.length * classes);
  for (let index = 0; index < labels.length; index++) {
    const label = requireIntegerInRange(`labels[${index}]`, labels[index], 0, classes - 1);
    rows[index * classes + label] = 1;
  }
  return rows;
}
