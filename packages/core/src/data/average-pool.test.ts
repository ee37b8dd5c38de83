import { describe, expect, it } from 'vitest';
import { averagePool } from './average-pool.js';

describe('averagePool', () => {
  it('averages each block, image by image', () => {
    // Two 4x4 images pooled by 2: block means worked by hand.
    const first = [1, 3, 0, 0, 5, 7, 0, 4, 2, 2, 1, 1, 2, 2, 1, 1];
    const second = new Array<number>(16).fill(0.5);
    const pooled = averagePool(Float32Array.from([...first, ...second]), 2, 4, 2);
    expect(Array.from(pooled)).toEqual([4, 1, 2, 1, 0.5, 0.5, 0.5, 0.5]);
  });

  it('keeps the image when the factor is 1 and rejects factors that do not divide the side', () => {
    const image = Float32Array.from([1, 2, 3, 4]);
    expect(Array.from(averagePool(image, 1, 2, 1))).toEqual([1, 2, 3, 4]);
    expect(() => averagePool(new Float32Array(784), 1, 28, 5)).toThrow(/factor must divide side 28/);
    expect(() => averagePool(new Float32Array(10), 1, 28, 4)).toThrow(/images.length/);
  });
});
