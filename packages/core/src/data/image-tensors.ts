import * as tf from '@tensorflow/tfjs';
import { pixelsPerImage } from './image-set.js';
import type { LabelledImages } from './mnist.js';

/** An image collection as tensors: the caller owns (and must dispose) both. */
export interface ImageTensors {
  /** Pixels, `[count, pixels]` float32. */
  readonly x: tf.Tensor2D;
  /** Class labels, `[count]` int32. */
  readonly y: tf.Tensor1D;
}

/**
 * Copies an image collection into a `[count, pixels]` float32 tensor and an int32 label vector.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { toImageTensors } from '@emerge/core';
 *
 * const images = { images: new Float32Array(2 * 4), labels: new Uint8Array([3, 7]), count: 2 };
 * const { x, y } = toImageTensors(images);
 * x.shape; // => [2, 4]
 * console.assert(x.shape.join() === '2,4' && y.dtype === 'int32');
 * tf.dispose([x, y]);
 * ```
 */
export function toImageTensors(set: LabelledImages): ImageTensors {
  const pixels = pixelsPerImage(set);
  return {
    x: tf.tensor2d(set.images, [set.count, pixels], 'float32'),
    y: tf.tensor1d(Int32Array.from(set.labels), 'int32'),
  };
}
