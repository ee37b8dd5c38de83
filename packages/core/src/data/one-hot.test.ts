import { describe, expect, it } from 'vitest';
import { oneHot } from './one-hot.js';

describe('oneHot', () => {
  it('sets one 1 per row at the label', () => {
    expect(Array.from(oneHot([2, 0, 1], 3))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(oneHot([], 4).length).toBe(0);
  });

  it('rejects labels outside [0, classes)', () => {
    expect(() => oneHot([0, 3], 3)).toThrow('labels[1] must be an integer in [0, 2], got 3');
    expect(() => oneHot([0], 0)).toThrow(/classes must be/);
  });
});
