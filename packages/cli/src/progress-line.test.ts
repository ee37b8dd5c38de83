import type { SweepEvent } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { createProgressLine, deferProgressLine, formatDuration } from './progress-line.js';

const start: SweepEvent = {
  type: 'sweep-start',
  runCount: 2,
  distinctCount: 2,
  shard: undefined,
  workers: 2,
};
const cached = (index: number): SweepEvent => ({
  type: 'run-cached',
  run: { task: 'file:///task.js', config: {}, seed: 0 },
  index,
  key: `key-${index}`,
});
const finish: SweepEvent = {
  type: 'sweep-finish',
  runCount: 2,
  cachedCount: 2,
  computedCount: 0,
  durationMs: 5,
};

describe('deferProgressLine', () => {
  it('holds events until show(), then draws them in order and every later one at once', () => {
    const drawn: string[] = [];
    const line = deferProgressLine(createProgressLine('figure', (text) => drawn.push(text)));
    line.onEvent(start);
    expect(drawn).toEqual([]);
    line.show();
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toContain('0/2 runs');
    for (const event of [cached(0), cached(1), finish]) line.onEvent(event);
    expect(drawn).toHaveLength(4);
    expect(drawn[3]).toContain('2/2 runs');
  });

  it('formats durations as m:ss', () => {
    expect(formatDuration(998_000)).toBe('16:38');
  });
});
