import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from './brown-corpus.js';

describe('loadBrownCorpus', () => {
  it('reads the 500 documents in catalogue order as plain lowercased text', async () => {
    const documents = await loadBrownCorpus();
    expect(documents.length).toBe(500);
    expect(documents[0]!.id).toBe('ca01');
    expect(documents[0]!.category).toBe('news');
    expect(documents[499]!.id).toBe('cr09');
    expect(documents[499]!.category).toBe('humor');
    expect(
      documents[0]!.text.startsWith('the fulton county grand jury said friday an investigation of'),
    ).toBe(true);
    const categories = new Set(documents.map((document) => document.category));
    expect(categories.size).toBe(15);
    const characters = documents.reduce((sum, document) => sum + document.text.length, 0);
    // About a million words of about five characters plus a space each.
    expect(characters).toBeGreaterThan(5_000_000);
    expect(characters).toBeLessThan(7_000_000);
    expect(
      documents.some((document) => /[A-Z]|\/[a-z]+\b.*\/[a-z]+ /.test(document.text.slice(0, 200))),
    ).toBe(false);
    expect(await loadBrownCorpus()).toBe(documents);
  });
});
