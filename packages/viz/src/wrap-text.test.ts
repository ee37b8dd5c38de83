import { describe, expect, it } from 'vitest';
import { wrapText } from './wrap-text.js';

describe('wrapText', () => {
  it('breaks Latin text at spaces, within the width', () => {
    // Each letter is 0.58 em: 'aaaa bbbb' is 9 * 0.58 = 5.22 em.
    expect(wrapText('aaaa bbbb cccc', 5.5)).toEqual(['aaaa bbbb', 'cccc']);
    expect(wrapText('aaaa bbbb cccc', 5)).toEqual(['aaaa', 'bbbb', 'cccc']);
  });

  it('breaks CJK text between any two characters, 1 em each', () => {
    expect(wrapText('模型越大损失越低', 3)).toEqual(['模型越', '大损失', '越低']);
  });

  it('keeps a word longer than the width on a line of its own and drops extra spaces', () => {
    expect(wrapText('  a   verylongword b ', 3)).toEqual(['a', 'verylongword', 'b']);
  });

  it('mixes Latin words and CJK characters', () => {
    // '损失随 D' is 3 + 0.58 + 0.58 = 4.16 em.
    expect(wrapText('损失随 D 按幂律下降', 4.2)).toEqual(['损失随 D', '按幂律下', '降']);
  });

  it('returns no lines for empty text', () => {
    expect(wrapText('', 10)).toEqual([]);
  });
});
