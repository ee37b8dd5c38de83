import { describe, expect, it } from 'vitest';
import { runKey } from './run-key.js';
import { sha256Hex } from './sha256.js';

const task = 'file:///runs.js';

describe('runKey', () => {
  it('hashes config (keys sorted), export name, seed and version, but not the module location', () => {
    const key = runKey({ task, exportName: 'train', config: { width: 8, depth: 2 }, seed: 3 }, 'v1');
    expect(key).toBe(
      sha256Hex('{"config":{"depth":2,"width":8},"exportName":"train","seed":3,"version":"v1"}'),
    );
    expect(
      runKey(
        { task: '/elsewhere/runs.js', exportName: 'train', config: { depth: 2, width: 8 }, seed: 3 },
        'v1',
      ),
    ).toBe(key);
  });

  it('changes with each part of the identity', () => {
    const base = { task, exportName: 'train', config: { width: 8 }, seed: 3 };
    const key = runKey(base, 'v1');
    expect(runKey({ ...base, config: { width: 9 } }, 'v1')).not.toBe(key);
    expect(runKey({ ...base, seed: 4 }, 'v1')).not.toBe(key);
    expect(runKey({ ...base, exportName: 'evaluate' }, 'v1')).not.toBe(key);
    expect(runKey(base, 'v2')).not.toBe(key);
  });

  it("defaults the export name to 'default'", () => {
    expect(runKey({ task, config: 1, seed: 0 }, 'v')).toBe(
      runKey({ task, exportName: 'default', config: 1, seed: 0 }, 'v'),
    );
  });

  it('rejects bad seeds, versions and configs with the field named', () => {
    expect(() => runKey({ task, config: {}, seed: 1.5 }, 'v')).toThrow(
      'run.seed must be a safe integer, got 1.5',
    );
    expect(() => runKey({ task, config: {}, seed: 1 }, '')).toThrow(/^version must be a non-empty string/);
    expect(() => runKey({ task, config: { rate: Number.NaN }, seed: 1 }, 'v')).toThrow(
      'run.config.rate must be a finite',
    );
  });
});
