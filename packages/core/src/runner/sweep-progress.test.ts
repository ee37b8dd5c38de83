import { describe, expect, it } from 'vitest';
import type { SweepEvent } from './sweep-events.js';
import { createSweepProgress, estimateEta } from './sweep-progress.js';

const run = { task: 'file:///runs.js', config: {}, seed: 0 };

describe('estimateEta', () => {
  it('multiplies the mean duration by the waves left', () => {
    // mean 2000 ms; 5 runs on 2 workers = 3 waves
    expect(estimateEta({ computedCount: 4, computedDurationMs: 8000, remainingCount: 5, workers: 2 })).toBe(
      6000,
    );
    expect(estimateEta({ computedCount: 1, computedDurationMs: 300, remainingCount: 4, workers: 1 })).toBe(
      1200,
    );
  });

  it('is 0 when nothing remains and undefined before any run finished', () => {
    expect(estimateEta({ computedCount: 0, computedDurationMs: 0, remainingCount: 0, workers: 1 })).toBe(0);
    expect(
      estimateEta({ computedCount: 0, computedDurationMs: 0, remainingCount: 3, workers: 1 }),
    ).toBeUndefined();
  });

  it('rejects bad inputs naming the field', () => {
    expect(() =>
      estimateEta({ computedCount: 1, computedDurationMs: 1, remainingCount: 1, workers: 0 }),
    ).toThrow('workers must be an integer in [1,');
  });
});

describe('createSweepProgress', () => {
  it('counts cached, running and computed runs and estimates from computed ones only', () => {
    const progress = createSweepProgress();
    const events: SweepEvent[] = [
      { type: 'sweep-start', runCount: 4, distinctCount: 4, shard: undefined, workers: 1 },
      { type: 'run-cached', run, index: 0, key: 'a' },
      { type: 'run-start', run, index: 1, key: 'b' },
    ];
    for (const event of events) progress.update(event);
    expect(progress.snapshot()).toEqual({
      runCount: 4,
      cachedCount: 1,
      computedCount: 0,
      runningCount: 1,
      etaMs: undefined,
    });
    const after = progress.update({ type: 'run-finish', run, index: 1, key: 'b', durationMs: 500 });
    expect(after).toEqual({ runCount: 4, cachedCount: 1, computedCount: 1, runningCount: 0, etaMs: 1000 });
  });
});
