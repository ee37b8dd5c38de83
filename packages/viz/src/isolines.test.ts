import { describe, expect, it } from 'vitest';
import { isolineSegments } from './isolines.js';
import { OptionError } from './option-error.js';

const coordinates = (count: number, from: number, to: number) =>
  Array.from({ length: count }, (_, index) => from + ((to - from) * index) / (count - 1));

describe('isolineSegments', () => {
  it('gives the worked example of its doc comment', () => {
    expect(
      isolineSegments(
        {
          x: [0, 1],
          y: [0, 1],
          values: [
            [0, 1],
            [1, 2],
          ],
        },
        1.5,
      ),
    ).toEqual([{ x1: 1, y1: 0.5, x2: 0.5, y2: 1 }]);
  });

  it('lies exactly on the level line of a linear field', () => {
    const x = coordinates(7, -1, 2);
    const y = coordinates(5, 0, 3);
    const values = y.map((row) => x.map((column) => 2 * column - row));
    const segments = isolineSegments({ x, y, values }, 0.7);
    expect(segments.length).toBeGreaterThan(3);
    for (const { x1, y1, x2, y2 } of segments) {
      expect(2 * x1 - y1).toBeCloseTo(0.7, 12);
      expect(2 * x2 - y2).toBeCloseTo(0.7, 12);
    }
  });

  it('closes a circle of the right radius around a bowl', () => {
    const axis = coordinates(41, -1, 1);
    const values = axis.map((row) => axis.map((column) => column * column + row * row));
    // Level 0.23 passes through no grid point (0.23 / 0.05^2 = 92 is no sum of two squares) (a level through grid points makes extra vertices).
    const segments = isolineSegments({ x: axis, y: axis, values }, 0.23);
    // Every end point lies within interpolation error (h^2 / 4 = 0.00025 here) of the radius sqrt(0.23) ...
    for (const { x1, y1 } of segments)
      expect(Math.abs(Math.hypot(x1, y1) - Math.sqrt(0.23))).toBeLessThan(0.002);
    // ... and the curve is closed: every end point is shared by exactly two segments.
    const counts = new Map<string, number>();
    for (const { x1, y1, x2, y2 } of segments) {
      for (const key of [`${x1.toFixed(9)},${y1.toFixed(9)}`, `${x2.toFixed(9)},${y2.toFixed(9)}`]) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    expect(new Set(counts.values())).toEqual(new Set([2]));
  });

  it('splits a saddle cell by the mean of its corners', () => {
    // Corners counter-clockwise from lower left: 1, 0, 1, 0 (mean 0.5).
    const grid = {
      x: [0, 1],
      y: [0, 1],
      values: [
        [1, 0],
        [0, 1],
      ],
    };
    // Level 0.4: the centre is above, so the two low corners (lower right, upper left) are cut off.
    const low = isolineSegments(grid, 0.4);
    expect(low).toHaveLength(2);
    const cutsCorner = (segments: typeof low, cornerX: number, cornerY: number) =>
      segments.some(
        (s) =>
          Math.abs(s.x1 - cornerX) + Math.abs(s.y1 - cornerY) < 1 &&
          Math.abs(s.x2 - cornerX) + Math.abs(s.y2 - cornerY) < 1,
      );
    expect(cutsCorner(low, 1, 0)).toBe(true);
    expect(cutsCorner(low, 0, 1)).toBe(true);
    // Level 0.6: the centre is below, so the two high corners are cut off instead.
    const high = isolineSegments(grid, 0.6);
    expect(cutsCorner(high, 0, 0)).toBe(true);
    expect(cutsCorner(high, 1, 1)).toBe(true);
  });

  it('returns nothing for a level outside the values and rejects bad grids', () => {
    expect(
      isolineSegments(
        {
          x: [0, 1],
          y: [0, 1],
          values: [
            [0, 0],
            [0, 0],
          ],
        },
        1,
      ),
    ).toEqual([]);
    expect(() =>
      isolineSegments(
        {
          x: [0, 0],
          y: [0, 1],
          values: [
            [0, 0],
            [0, 0],
          ],
        },
        1,
      ),
    ).toThrow(OptionError);
    expect(() => isolineSegments({ x: [0, 1], y: [0, 1], values: [[0, 0]] }, 1)).toThrow(
      'grid.values must be 2 rows',
    );
    expect(() =>
      isolineSegments(
        {
          x: [0, 1],
          y: [0, 1],
          values: [
            [0, 0],
            [0, Number.NaN],
          ],
        },
        1,
      ),
    ).toThrow('grid.values[1][1] must be a finite number');
  });
});
