import { describe, expect, it } from 'vitest';
import { brownToPlainText } from './brown-text.js';

describe('brownToPlainText', () => {
  it('drops tags, lowercases, maps the quote marks and keeps one sentence per line', () => {
    const tagged = [
      '',
      '',
      "\tThe/at Fulton/np-tl County/nn-tl said/vbd ``/`` no/at evidence/nn ''/'' ./.",
      '',
      '',
      '\tIt/pps cost/vbd 4-1/2%/nn ,/, or/cc 1-1/2/cd more/ap ./.',
      '',
    ].join('\n');
    expect(brownToPlainText(tagged)).toBe(
      'the fulton county said " no evidence " .\nit cost 4-1/2% , or 1-1/2 more .',
    );
  });

  it('gives empty text for empty input', () => {
    expect(brownToPlainText('\n\n\t\n')).toBe('');
  });
});
