import { describe, expect, it } from 'vitest';
import { median, timeRepetitions } from './measurement.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('timeRepetitions', () => {
  it('runs the warm-up untimed and times each repetition', () => {
    let calls = 0;
    const { wallMs, cpuMs } = timeRepetitions(
      () => {
        calls++;
      },
      2,
      3,
    );
    expect(calls).toBe(5);
    expect(wallMs).toHaveLength(3);
    expect(cpuMs).toHaveLength(3);
    expect(wallMs.every((value) => value >= 0)).toBe(true);
  });
});
