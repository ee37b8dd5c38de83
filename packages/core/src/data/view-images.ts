import { OptionError, requireIntegerInRange, requireNumberInRange } from '../errors.js';

/**
 * How to re-render images as if seen under another viewing condition. The geometry is applied first
 * (rotation about the image centre, then the shift), then contrast, then brightness, then clipping to
 * [0, 1]; pixels that come from outside the source image are background (0).
 */
export interface ViewingCondition {
  /** Counter-clockwise rotation on screen, in degrees, within [-360, 360]. Default: `0`. */
  rotationDegrees?: number;
  /** Shift to the right in pixels (fractions interpolate), within [-side, side]. Default: `0`. */
  shiftX?: number;
  /** Shift downwards in pixels (fractions interpolate), within [-side, side]. Default: `0`. */
  shiftY?: number;
  /** Factor on every intensity ("lighting": below 1 dims, above 1 brightens), >= 0. Default: `1`. */
  brightness?: number;
  /** Factor on the distance of each intensity from mid-grey 0.5, >= 0. Default: `1`. */
  contrast?: number;
}

/**
 * Renders `count` square grey-scale images (flat, row-major, intensities in [0, 1]) under a viewing
 * condition, deterministically: rotation and shift sample the source bilinearly, so a rotation by 0 and
 * integer shifts copy pixels exactly. Used to build the data-diversity figure's "views" of MNIST.
 * @throws OptionError when the images are not `count` squares or an option is out of range.
 * @example
 * ```ts
 * import { viewImages } from '@emerge/core';
 *
 * // A 3x3 image with one lit pixel, shifted one pixel right and dimmed to half brightness.
 * const image = new Float32Array([0, 0, 0, 0, 1, 0, 0, 0, 0]);
 * const viewed = viewImages(image, 1, { shiftX: 1, brightness: 0.5 });
 * viewed[5]; // => 0.5
 * console.assert(Math.abs(viewed[5]! - 0.5) < 1e-6 && viewed[4] === 0);
 * ```
 */
export function viewImages(
  images: Float32Array,
  count: number,
  condition: ViewingCondition = {},
): Float32Array {
  requireIntegerInRange('count', count, 1, Number.MAX_SAFE_INTEGER);
  const pixels = images.length / count;
  const side = Math.round(Math.sqrt(pixels));
  if (!Number.isInteger(pixels) || side * side !== pixels) {
    throw new OptionError(
      'images.length',
      `count times a square number of pixels (count ${count})`,
      images.length,
    );
  }
  const rotation = requireNumberInRange('rotationDegrees', condition.rotationDegrees ?? 0, -360, 360);
  const shiftX = requireNumberInRange('shiftX', condition.shiftX ?? 0, -side, side);
  const shiftY = requireNumberInRange('shiftY', condition.shiftY ?? 0, -side, side);
  const brightness = requireNumberInRange(
    'brightness',
    condition.brightness ?? 1,
    0,
    Number.POSITIVE_INFINITY,
  );
  const contrast = requireNumberInRange('contrast', condition.contrast ?? 1, 0, Number.POSITIVE_INFINITY);

  // For each output pixel, where in the source it comes from (the inverse map), computed once for all images.
  const sourceColumns = new Float64Array(pixels);
  const sourceRows = new Float64Array(pixels);
  const centre = (side - 1) / 2;
  const radians = (rotation * Math.PI) / 180;
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  for (let row = 0; row < side; row++) {
    for (let column = 0; column < side; column++) {
      // Undo the shift, then rotate back by -angle in a frame with y pointing up.
      const right = column - shiftX - centre;
      const up = centre - (row - shiftY);
      sourceColumns[row * side + column] = centre + right * cos + up * sin;
      sourceRows[row * side + column] = centre - (-right * sin + up * cos);
    }
  }

  const output = new Float32Array(images.length);
  for (let image = 0; image < count; image++) {
    const base = image * pixels;
    const at = (row: number, column: number): number =>
      row < 0 || row >= side || column < 0 || column >= side
        ? 0
        : (images[base + row * side + column] as number);
    for (let pixel = 0; pixel < pixels; pixel++) {
      const x = sourceColumns[pixel] as number;
      const y = sourceRows[pixel] as number;
      const column0 = Math.floor(x);
      const row0 = Math.floor(y);
      const fx = x - column0;
      const fy = y - row0;
      const sampled =
        (1 - fy) * ((1 - fx) * at(row0, column0) + fx * at(row0, column0 + 1)) +
        fy * ((1 - fx) * at(row0 + 1, column0) + fx * at(row0 + 1, column0 + 1));
      const adjusted = brightness * (0.5 + contrast * (sampled - 0.5));
      output[base + pixel] = Math.min(1, Math.max(0, adjusted));
    }
  }
  return output;
}
