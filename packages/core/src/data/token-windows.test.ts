import { describe, expect, it } from 'vitest';
import { sampleTokenWindows, tileTokenWindows } from './token-windows.js';

/** A stream whose token at position i is i, so a window's content reveals its start. */
const stream = Int32Array.from({ length: 20 }, (_, index) => index);

describe('sampleTokenWindows', () => {
  it('takes contiguous windows with targets shifted by one, every start that fits', () => {
    const windows = sampleTokenWindows(stream, { contextLength: 5, count: 2000, seed: 1 });
    const starts = new Set<number>();
    for (let window = 0; window < 2000; window++) {
      const inputs = Array.from(windows.inputs.subarray(window * 5, window * 5 + 5));
      const targets = Array.from(windows.targets.subarray(window * 5, window * 5 + 5));
      const start = inputs[0]!;
      starts.add(start);
      expect(inputs).toEqual([0, 1, 2, 3, 4].map((offset) => start + offset));
      expect(targets).toEqual(inputs.map((token) => token + 1));
    }
    // Starts 0 .. 14 leave room for the last target (token 19).
    expect([...starts].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, index) => index));
  });

  it('is seeded and rejects a context as long as the stream', () => {
    expect(sampleTokenWindows(stream, { contextLength: 4, count: 3, seed: 2 })).toEqual(
      sampleTokenWindows(stream, { contextLength: 4, count: 3, seed: 2 }),
    );
    expect(() => sampleTokenWindows(stream, { contextLength: 20, count: 1, seed: 1 })).toThrow(
      'contextLength must be an integer in [1, 19], got 20',
    );
  });
});

describe('tileTokenWindows', () => {
  it('tiles the stream from its start without overlap', () => {
    const windows = tileTokenWindows(stream, { contextLength: 6 });
    expect(windows.count).toBe(3);
    expect(Array.from(windows.inputs)).toEqual(Array.from({ length: 18 }, (_, index) => index));
    expect(Array.from(windows.targets)).toEqual(Array.from({ length: 18 }, (_, index) => index + 1));
    expect(tileTokenWindows(stream, { contextLength: 6, maxWindows: 2 }).count).toBe(2);
  });
});
