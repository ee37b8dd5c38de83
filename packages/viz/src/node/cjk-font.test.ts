import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCjkFont } from './cjk-font.js';

describe('findCjkFont', () => {
  it('finds the Noto Sans CJK SC files of @embedpdf/fonts-sc, regular first', () => {
    const font = findCjkFont();
    expect(font.family).toBe('Noto Sans S Chinese');
    expect(font.files[0]).toMatch(/@embedpdf[/\\]fonts-sc[/\\]fonts[/\\]NotoSansHans-Regular\.otf$/);
    expect(font.files.every((file) => existsSync(file))).toBe(true);
  });

  it('skips candidates whose first file is missing and keeps only existing later files', () => {
    const regular = findCjkFont().files[0] ?? '';
    const font = findCjkFont([
      { family: 'Missing', files: ['/no/such/font.ttc'] },
      {
        family: 'Missing package',
        packageFiles: { packageName: '@emerge/no-such-font-package', files: ['a.otf'] },
      },
      { family: 'Found', files: [regular, '/no/such/bold.otf'] },
    ]);
    expect(font).toEqual({ family: 'Found', files: [regular] });
  });

  it('says what to install when no font is found', () => {
    expect(() => findCjkFont([{ family: 'Missing', files: ['/no/such/font.ttc'] }])).toThrow(
      /npm install @embedpdf\/fonts-sc.*fonts-noto-cjk/,
    );
  });
});
