import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a torn
 * write: the data goes to a temporary file beside the target, which is then renamed over it (rename is
 * atomic within one file system). A process killed mid-write leaves at most a stray temporary file.
 * @example
 * ```ts
 * import { mkdtemp, readFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeFileAtomic } from '@emerge/core/node';
 *
 * const path = join(await mkdtemp(join(tmpdir(), 'emerge-')), 'nested', 'result.json');
 * await writeFileAtomic(path, '{"loss":0.12}\n'); // creates the folder, then renames into place
 * console.assert((await readFile(path, 'utf8')) === '{"loss":0.12}\n');
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
