import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import { runIdentityJson } from '../runner/run-key.js';
import { sha256Hex } from '../runner/sha256.js';
import { DiskCache } from './disk-cache.js';

const identityOf = (x: number) => runIdentityJson({ task: '/runs.js', config: { x }, seed: 1 }, 'v1', 'run');

describe('DiskCache', () => {
  let folder = '';
  let cache: DiskCache;
  const identity = identityOf(3);
  const key = sha256Hex(identity);
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'emerge-cache-'));
    cache = new DiskCache(folder);
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('misses, then returns exactly what was written', async () => {
    expect(await cache.read(key)).toEqual({ status: 'miss' });
    const result = { loss: [0.5, 0.25, 1e-300], name: 'mlp', nested: { b: null, a: true } };
    expect(await cache.write(key, identity, result)).toEqual(result);
    expect(await cache.read(key)).toEqual({ status: 'hit', result });
    expect(cache.pathOf(key)).toBe(join(folder, key.slice(0, 2), `${key}.json`));
  });

  it('reports a truncated entry as corrupt instead of throwing', async () => {
    await cache.write(key, identity, { loss: 0.5 });
    await truncate(cache.pathOf(key), 40);
    expect(await cache.read(key)).toEqual({
      status: 'corrupt',
      path: cache.pathOf(key),
      reason: 'not valid JSON (truncated or partly written?)',
    });
  });

  it('reports a changed number, a misplaced entry and an edited identity as corrupt', async () => {
    await cache.write(key, identity, { loss: 0.5 });
    const text = await readFile(cache.pathOf(key), 'utf8');
    await writeFile(cache.pathOf(key), text.replace('"loss":0.5', '"loss":0.6'));
    expect(await cache.read(key)).toMatchObject({
      status: 'corrupt',
      reason: 'checksum mismatch (result changed on disk)',
    });

    const otherIdentity = identityOf(4);
    const otherKey = sha256Hex(otherIdentity);
    await cache.write(otherKey, otherIdentity, { loss: 1 });
    await writeFile(cache.pathOf(key), await readFile(cache.pathOf(otherKey), 'utf8'));
    expect(await cache.read(key)).toMatchObject({
      status: 'corrupt',
      reason: expect.stringMatching(/^holds key/),
    });

    await writeFile(cache.pathOf(key), text.replace('"x":3', '"x":5'));
    expect(await cache.read(key)).toMatchObject({
      status: 'corrupt',
      reason: expect.stringMatching(/identity/),
    });
  });

  it('refuses results that JSON would change, keys that are not keys and mismatched identities', async () => {
    await expect(cache.write(key, identity, { loss: Number.POSITIVE_INFINITY })).rejects.toThrow(
      'result.loss must be a finite number',
    );
    expect(() => cache.pathOf('../escape')).toThrow(OptionError);
    await expect(cache.write(key, identityOf(9), 1)).rejects.toThrow(/^identity must be/);
    expect(() => new DiskCache('')).toThrow('cacheDir must be a non-empty folder path');
  });
});
