import { describe, expect, it } from 'vitest';
import { estimateTextWidthEm } from './text-width.js';

describe('estimateTextWidthEm', () => {
  it('counts CJK characters and punctuation as 1 em and other characters as 0.58 em', () => {
    expect(estimateTextWidthEm('')).toBe(0);
    expect(estimateTextWidthEm('损失，')).toBe(3);
    expect(estimateTextWidthEm('损失 loss')).toBeCloseTo(2 + 5 * 0.58, 12);
    expect(estimateTextWidthEm('（）')).toBe(2);
  });
});
