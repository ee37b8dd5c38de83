import { describe, expect, it } from 'vitest';
import { type RunSpec, runKey } from './run-key.js';
import { planSweep } from './sweep-plan.js';

const task = 'file:///runs.js';
const runs: RunSpec<{ width: number }>[] = Array.from({ length: 10 }, (_, index) => ({
  task,
  config: { width: index },
  seed: index % 3,
}));

describe('planSweep', () => {
  it('keeps every run in input order without a shard', () => {
    const plan = planSweep(runs, { version: 'v' });
    expect(plan.runs.map((planned) => planned.run)).toEqual(runs);
    expect(plan.runs.map((planned) => planned.positions)).toEqual(runs.map((_, index) => [index]));
    expect(plan.runs[4]?.key).toBe(runKey(runs[4] as RunSpec, 'v'));
    expect(plan).toMatchObject({ inputCount: 10, distinctCount: 10, shard: undefined });
  });

  it('merges repeated runs into one planned run listing every position', () => {
    const repeated = [runs[0], runs[1], { ...runs[0], config: { width: 0 } }] as RunSpec[];
    const plan = planSweep(repeated, { version: 'v' });
    expect(plan.runs.map((planned) => planned.positions)).toEqual([[0, 2], [1]]);
    expect(plan.distinctCount).toBe(2);
  });

  it('splits runs into disjoint shards that cover the sweep and differ in size by at most one', () => {
    const shares = [0, 1, 2].map(
      (index) => planSweep(runs, { version: 'v', shard: { index, count: 3 } }).runs,
    );
    const keys = shares.flatMap((share) => share.map((planned) => planned.key));
    expect(new Set(keys).size).toBe(10);
    expect(shares.map((share) => share.length).sort()).toEqual([3, 3, 4]);
    // Each share keeps input order.
    for (const share of shares) {
      const positions = share.map((planned) => planned.positions[0] as number);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('deals the same share whatever order the runs are listed in', () => {
    const forward = planSweep(runs, { version: 'v', shard: { index: 1, count: 3 } }).runs.map(
      (planned) => planned.key,
    );
    const reversed = planSweep([...runs].reverse(), { version: 'v', shard: { index: 1, count: 3 } }).runs.map(
      (planned) => planned.key,
    );
    expect([...reversed].sort()).toEqual([...forward].sort());
  });

  it('rejects a bad shard and names a bad run by position', () => {
    expect(() => planSweep(runs, { version: 'v', shard: { index: 3, count: 2 } })).toThrow(
      'shard.index must be an integer in [0, 1] (below the shard count 2), got 3',
    );
    expect(() => planSweep([...runs, { task, config: {}, seed: -0.5 }], { version: 'v' })).toThrow(
      'runs[10].seed must be a safe integer, got -0.5',
    );
  });
});
