import { describe, expect, it } from 'vitest';
import { splitDocuments } from './document-split.js';

const documents = Array.from({ length: 20 }, (_, index) => `doc${index}`);

describe('splitDocuments', () => {
  it('holds out round(fraction * n) whole documents, disjoint from training', () => {
    const { train, validation } = splitDocuments(documents, { validationFraction: 0.2, seed: 1 });
    expect(validation.length).toBe(4);
    expect(train.length).toBe(16);
    expect([...train, ...validation].sort()).toEqual([...documents].sort());
  });

  it('is deterministic by seed and shuffles the training order', () => {
    const first = splitDocuments(documents, { validationFraction: 0.1, seed: 3 });
    expect(splitDocuments(documents, { validationFraction: 0.1, seed: 3 })).toEqual(first);
    expect(splitDocuments(documents, { validationFraction: 0.1, seed: 4 }).validation).not.toEqual(
      first.validation,
    );
    expect(first.train).not.toEqual(documents.filter((document) => first.train.includes(document)));
  });

  it('keeps at least one document on each side', () => {
    expect(splitDocuments(['a', 'b'], { validationFraction: 0.01, seed: 1 }).validation.length).toBe(1);
    expect(splitDocuments(['a', 'b'], { validationFraction: 0.99, seed: 1 }).train.length).toBe(1);
  });

  it('rejects fractions outside (0, 1) and a single document', () => {
    expect(() => splitDocuments(documents, { validationFraction: 0, seed: 1 })).toThrow(
      'validationFraction must be a number in (0, 1), got 0',
    );
    expect(() => splitDocuments(documents, { validationFraction: 1, seed: 1 })).toThrow(/validationFraction/);
    expect(() => splitDocuments(['a'], { validationFraction: 0.5, seed: 1 })).toThrow(/documents.length/);
  });
});
