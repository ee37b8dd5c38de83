import { describe, expect, it } from 'vitest';
import { ADDITION_VOCABULARY, createAdditionProblems } from './addition-problems.js';

function text(tokens: Int32Array, row: number, length: number): string {
  return Array.from(tokens.subarray(row * length, (row + 1) * length), (id) => ADDITION_VOCABULARY[id]).join(
    '',
  );
}

describe('createAdditionProblems', () => {
  it('writes zero-padded operands and a digits+1 answer, most significant digit first', () => {
    const problems = createAdditionProblems({ digits: 2, count: 50, seed: 1 });
    expect(problems.sequenceLength).toBe(9);
    expect(problems.answerStart).toBe(6);
    expect(problems.answerLength).toBe(3);
    for (let row = 0; row < 50; row++) {
      const a = problems.left[row]!;
      const b = problems.right[row]!;
      expect(problems.sums[row]).toBe(a + b);
      const expected = `${String(a).padStart(2, '0')}+${String(b).padStart(2, '0')}=${String(a + b).padStart(3, '0')}`;
      expect(text(problems.tokens, row, 9)).toBe(expected);
    }
  });

  it('reverses the answer digits when asked, leaving the operands as usual', () => {
    const usual = createAdditionProblems({ digits: 4, count: 20, seed: 2 });
    const reversed = createAdditionProblems({ digits: 4, count: 20, seed: 2, answerOrder: 'reversed' });
    for (let row = 0; row < 20; row++) {
      const usualText = text(usual.tokens, row, 15);
      const reversedText = text(reversed.tokens, row, 15);
      expect(reversedText.slice(0, 10)).toBe(usualText.slice(0, 10));
      expect(reversedText.slice(10)).toBe([...usualText.slice(10)].reverse().join(''));
    }
  });

  it('draws operands over the whole range and validates options', () => {
    const problems = createAdditionProblems({ digits: 1, count: 2000, seed: 3 });
    expect(new Set(problems.left).size).toBe(10);
    expect(Math.max(...problems.sums)).toBe(18);
    expect(() => createAdditionProblems({ digits: 10, count: 1, seed: 1 })).toThrow(/digits must be/);
    expect(() =>
      createAdditionProblems({ digits: 2, count: 1, seed: 1, answerOrder: 'lsb' as 'reversed' }),
    ).toThrow(/answerOrder/);
  });
});
