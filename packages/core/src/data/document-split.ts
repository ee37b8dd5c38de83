import { OptionError, requireIntegerInRange } from '../errors.js';
import { createRandom } from '../random.js';

/** Options of {@link splitDocuments}. */
export interface DocumentSplitOptions {
  /** Share of documents held out for validation, in (0, 1); rounded to a whole number of documents, at least one each side. Required. */
  validationFraction: number;
  /** Seed of which documents are held out and of the training documents' order. Required. */
  seed: number;
}

/** Documents divided into a training part (in a seeded order) and a validation part. */
export interface DocumentSplit<Document> {
  readonly train: Document[];
  readonly validation: Document[];
}

/**
 * Splits whole documents, never cutting one in two, so validation text is never seen in training even
 * in part. The training documents come in a seeded order, so concatenating them and taking prefixes
 * gives nested training sets of growing size (see {@link tokenPrefixes}).
 * @throws OptionError when the fraction is outside (0, 1) or fewer than 2 documents are given.
 * @example
 * ```ts
 * import { splitDocuments } from '@emerge/core';
 *
 * const documents = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
 * const { train, validation } = splitDocuments(documents, { validationFraction: 0.2, seed: 1 });
 * train.length; // => 8
 * validation.length; // => 2
 * console.assert(train.length === 8 && validation.length === 2);
 * ```
 */
export function splitDocuments<Document>(
  documents: readonly Document[],
  options: DocumentSplitOptions,
): DocumentSplit<Document> {
  requireIntegerInRange('documents.length', documents.length, 2, Number.MAX_SAFE_INTEGER);
  const fraction = options.validationFraction;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction < 1)) {
    throw new OptionError('validationFraction', 'a number in (0, 1)', fraction);
  }
  const validationCount = Math.min(
    documents.length - 1,
    Math.max(1, Math.round(fraction * documents.length)),
  );
  const order = createRandom(options.seed).fork('document-split').permutation(documents.length);
  const pick = (positions: number[]) => positions.map((position) => documents[position] as Document);
  return {
    validation: pick(order.slice(0, validationCount)),
    train: pick(order.slice(validationCount)),
  };
}
