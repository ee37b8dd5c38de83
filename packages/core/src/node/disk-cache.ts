import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OptionError } from '../errors.js';
import { canonicalJson, type JsonValue } from '../runner/canonical-json.js';
import { sha256Hex } from '../runner/sha256.js';
import { writeFileAtomic } from './atomic-write.js';

/** The answer of {@link DiskCache.read}. */
export type CacheLookup =
  | { status: 'hit'; result: JsonValue }
  | { status: 'miss' }
  | { status: 'corrupt'; path: string; reason: string };

/** Bumped if the layout of a cache entry ever changes; entries of another format read as corrupt. */
const ENTRY_FORMAT = 1;

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Run results on disk, one JSON file per run key (`<directory>/<first two hex digits>/<key>.json`).
 * Each entry stores the key, the run's identity (config, export name, seed, version) and a SHA-256
 * checksum of the result, so a truncated, hand-edited or misplaced file reads as `corrupt` — to be
 * recomputed — and never as a wrong number. Writes are atomic (temporary file and rename), so a process
 * killed mid-write leaves the old entry or none, and shards on a shared file system can write at once.
 *
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { planSweep } from '@emerge/core';
 * import { DiskCache } from '@emerge/core/node';
 *
 * const cache = new DiskCache(join(await mkdtemp(join(tmpdir(), 'emerge-')), 'cache'));
 * const [planned] = planSweep([{ task: '/runs.js', config: { width: 8 }, seed: 0 }], { version: 'example' }).runs;
 * const { key, identity } = planned!;
 * (await cache.read(key)).status; // => 'miss'
 * await cache.write(key, identity, { loss: 0.12 });
 * const lookup = await cache.read(key); // => { status: 'hit', result: { loss: 0.12 } }
 * console.assert(lookup.status === 'hit' && lookup.result.loss === 0.12);
 * ```
 */
export class DiskCache {
  /** @param directory the cache folder, created on first write. */
  constructor(readonly directory: string) {
    if (typeof directory !== 'string' || directory.length === 0) {
      throw new OptionError('cacheDir', 'a non-empty folder path', directory);
    }
  }

  /** The file that holds (or would hold) the entry of `key`. */
  pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new OptionError('key', 'a run key (64 lowercase hex digits)', key);
    return join(this.directory, key.slice(0, 2), `${key}.json`);
  }

  /** Looks a run key up; never throws for a damaged entry, reports it as `corrupt` instead. */
  async read(key: string): Promise<CacheLookup> {
    const path = this.pathOf(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'miss' };
      return { status: 'corrupt', path, reason: `unreadable (${(error as Error).message})` };
    }
    const reason = describeDamage(text, key);
    if (typeof reason === 'string') return { status: 'corrupt', path, reason };
    return { status: 'hit', result: reason.result };
  }

  /**
   * Stores a result under `key` and returns it as a later {@link DiskCache.read} will (a JSON copy).
   * @param identity the run's identity as canonical JSON, whose SHA-256 must be `key` (see `planSweep`).
   * @throws {OptionError} when the result is not JSON (NaN, a class instance...) or identity and key disagree.
   */
  async write(key: string, identity: string, result: unknown): Promise<JsonValue> {
    const path = this.pathOf(key);
    if (sha256Hex(identity) !== key)
      throw new OptionError('identity', `the JSON text whose SHA-256 is ${key}`, identity);
    const resultJson = canonicalJson(result, 'result');
    const entry = `{"format":${ENTRY_FORMAT},"key":"${key}","identity":${identity},"checksum":"${checksum(resultJson)}","result":${resultJson}}\n`;
    await writeFileAtomic(path, entry);
    return JSON.parse(resultJson) as JsonValue;
  }
}

function checksum(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Why an entry cannot be trusted, or its result when it can. */
function describeDamage(text: string, key: string): string | { result: JsonValue } {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch {
    return 'not valid JSON (truncated or partly written?)';
  }
  if (typeof entry !== 'object' || entry === null) return 'not a cache entry';
  const {
    format,
    key: storedKey,
    identity,
    checksum: storedChecksum,
    result,
  } = entry as Record<string, unknown>;
  if (format !== ENTRY_FORMAT) return `unknown entry format ${JSON.stringify(format)}`;
  if (storedKey !== key) return `holds key ${JSON.stringify(storedKey)} instead of its file name's`;
  if (identity === undefined || sha256Hex(canonicalJson(identity, 'identity')) !== key) {
    return "the stored run identity does not hash to the entry's key";
  }
  if (result === undefined) return 'no result';
  if (storedChecksum !== checksum(canonicalJson(result, 'result')))
    return 'checksum mismatch (result changed on disk)';
  return { result: result as JsonValue };
}
