import { describe, expect, it } from 'vitest';
import { viewImages } from './view-images.js';

/** A 3 x 3 image with one lit pixel. */
function single(row: number, column: number, value = 1): Float32Array {
  const image = new Float32Array(9);
  image[row * 3 + column] = value;
  return image;
}

function expectClose(actual: Float32Array, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, index) => {
    expect(value).toBeCloseTo(expected[index] as number, 6);
  });
}

describe('viewImages', () => {
  it('is the identity at 0 degrees with no shift and neutral lighting', () => {
    const images = Float32Array.from({ length: 2 * 16 }, (_, index) => (index % 7) / 7);
    expect(viewImages(images, 2)).toEqual(images);
  });

  it('rotates by 90 degrees counter-clockwise: top goes left, left goes bottom', () => {
    expectClose(viewImages(single(0, 1), 1, { rotationDegrees: 90 }), single(1, 0));
    expectClose(viewImages(single(1, 0), 1, { rotationDegrees: 90 }), single(2, 1));
    // The top-left corner goes to the bottom-left corner; -90 goes to the top-right.
    expectClose(viewImages(single(0, 0), 1, { rotationDegrees: 90 }), single(2, 0));
    expectClose(viewImages(single(0, 0), 1, { rotationDegrees: -90 }), single(0, 2));
    // The centre stays put and four quarter turns come back to the start.
    expectClose(viewImages(single(1, 1), 1, { rotationDegrees: 37 }).subarray(4, 5), [1]);
    let image = single(0, 2, 0.6);
    for (let turn = 0; turn < 4; turn++) image = viewImages(image, 1, { rotationDegrees: 90 });
    expectClose(image, single(0, 2, 0.6));
  });

  it('interpolates bilinearly at 45 degrees', () => {
    // The top-left output pixel sits at (-1, 1) from the centre (x right, y up); rotating it back by
    // -45 degrees lands at (0, sqrt 2): the source column is exact and the row is 1.414 above the centre,
    // 0.414 of the way from the lit top row towards the background beyond it, so it gets 2 - sqrt 2.
    const rotated = viewImages(single(0, 1), 1, { rotationDegrees: 45 });
    expect(rotated[0]).toBeCloseTo(2 - Math.SQRT2, 6);
  });

  it('shifts right and down by whole and fractional pixels, filling with background', () => {
    expectClose(viewImages(single(0, 0), 1, { shiftX: 1 }), single(0, 1));
    expectClose(viewImages(single(0, 0), 1, { shiftY: 2 }), single(2, 0));
    expectClose(viewImages(single(2, 2), 1, { shiftX: 1 }), new Float32Array(9));
    const half = viewImages(single(1, 1), 1, { shiftX: 0.5 });
    expect(half[4]).toBeCloseTo(0.5, 6);
    expect(half[5]).toBeCloseTo(0.5, 6);
  });

  it('applies contrast about mid-grey, then brightness, clipped to [0, 1]', () => {
    const images = Float32Array.from([0, 0.25, 0.5, 0.75]);
    expectClose(viewImages(images, 1, { contrast: 2 }), [0, 0, 0.5, 1]);
    expectClose(viewImages(images, 1, { brightness: 0.5 }), [0, 0.125, 0.25, 0.375]);
    expectClose(viewImages(images, 1, { brightness: 2 }), [0, 0.5, 1, 1]);
    expectClose(viewImages(images, 1, { contrast: 0 }), [0.5, 0.5, 0.5, 0.5]);
  });

  it('rejects non-square images and out-of-range options', () => {
    expect(() => viewImages(new Float32Array(10), 2)).toThrow(/images.length must be/);
    expect(() => viewImages(new Float32Array(9), 1, { brightness: -1 })).toThrow(/brightness must be/);
    expect(() => viewImages(new Float32Array(9), 1, { shiftX: 4 })).toThrow(
      'shiftX must be a number in [-3, 3], got 4',
    );
  });
});
