import { describe, expect, it } from 'vitest';
import { localize } from './localized-text.js';

describe('localize', () => {
  it('picks the language of a pair and passes a plain string through', () => {
    expect(localize({ en: 'loss', zh: '损失' }, 'zh')).toBe('损失');
    expect(localize({ en: 'loss', zh: '损失' }, 'en')).toBe('loss');
    expect(localize('LSTM', 'zh')).toBe('LSTM');
  });
});
