import { describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import { WorkerPool } from './worker-pool.js';

describe('WorkerPool', () => {
  it('lends at most `size` processes and serves waiting requests lowest priority first, then in order', async () => {
    const pool = new WorkerPool(1);
    const first = await pool.acquire(9);
    const granted: Array<{ name: string; release(): void }> = [];
    const ask = (priority: number, name: string) =>
      pool.acquire(priority).then((lease) => granted.push({ name, release: () => lease.release() }));
    ask(5, 'p5');
    ask(1, 'p1 first');
    ask(1, 'p1 second');
    const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
    await tick();
    expect(granted).toEqual([]); // the only process is still lent
    first.release();
    for (let round = 1; round <= 3; round++) {
      await tick();
      expect(granted).toHaveLength(round); // one at a time: each waits for the previous release
      granted[round - 1]?.release();
    }
    expect(granted.map((grant) => grant.name)).toEqual(['p1 first', 'p1 second', 'p5']);
    pool.close();
  });

  it('refuses requests once closed, and rejects a bad size with an OptionError', async () => {
    const pool = new WorkerPool(1);
    const lease = await pool.acquire();
    const waiting = pool.acquire();
    pool.close();
    await expect(waiting).rejects.toThrow(/closed/);
    await expect(pool.acquire()).rejects.toThrow(/closed/);
    lease.release();
    expect(() => new WorkerPool(0)).toThrow(OptionError);
  });
});
