import { describe, expect, it } from 'vitest';
import { checkClaim } from '../figure.js';
import { notHoldingText } from './not-holding-text.js';

const holding = checkClaim({ id: 'peak', statement: 'peak', value: 2, comparison: '>=', threshold: 1.5 });
const failingA = checkClaim({
  id: 'slope',
  statement: 'slope',
  value: 0.5,
  comparison: '>=',
  threshold: 0.9,
});
const failingB = checkClaim({ id: 'gap', statement: 'gap', value: 3, comparison: '<=', threshold: 1 });

describe('notHoldingText', () => {
  it('is empty when every claim holds', () => {
    expect(notHoldingText([holding], 'en')).toBe('');
    expect(notHoldingText([], 'zh')).toBe('');
  });

  it('names the claims that do not hold, in the caption language', () => {
    expect(notHoldingText([holding, failingA, failingB], 'en')).toBe(' Not holding here: slope, gap.');
    expect(notHoldingText([failingA, failingB], 'zh')).toBe(' 未成立的检验：slope、gap。');
  });
});
