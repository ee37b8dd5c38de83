import { OptionError, requireFiniteNumber } from './option-error.js';

/** Values on a rectangular grid: `values[row][column]` is the value at `(x[column], y[row])`. */
export interface Grid {
  /** Column coordinates, strictly increasing (at least 2). */
  x: number[];
  /** Row coordinates, strictly increasing (at least 2). */
  y: number[];
  /** One row of `x.length` finite values per entry of `y`. */
  values: number[][];
}

/** A straight piece of an isoline, from (x1, y1) to (x2, y2) in grid coordinates. */
export interface Segment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Throws an {@link OptionError} unless `grid` is a well-formed {@link Grid}. */
export function checkGrid(grid: Grid, field = 'grid'): void {
  for (const axis of ['x', 'y'] as const) {
    const coordinates = grid[axis];
    const increasing =
      Array.isArray(coordinates) &&
      coordinates.length >= 2 &&
      coordinates.every(
        (value, index) => Number.isFinite(value) && (index === 0 || value > (coordinates[index - 1] ?? 0)),
      );
    if (!increasing)
      throw new OptionError(
        `${field}.${axis}`,
        'at least 2 finite, strictly increasing numbers',
        coordinates,
      );
  }
  if (!Array.isArray(grid.values) || grid.values.length !== grid.y.length) {
    throw new OptionError(`${field}.values`, `${grid.y.length} rows (one per y)`, grid.values?.length);
  }
  grid.values.forEach((row, index) => {
    if (!Array.isArray(row) || row.length !== grid.x.length) {
      throw new OptionError(`${field}.values[${index}]`, `${grid.x.length} numbers (one per x)`, row?.length);
    }
    for (const [column, value] of row.entries())
      requireFiniteNumber(`${field}.values[${index}][${column}]`, value);
  });
}

/**
 * The isoline `value = level` of a grid, as straight segments (marching squares with linear
 * interpolation along cell edges, so a field that is linear in x and y gives its exact level line).
 * A grid point counts as above the level when its value is >= level; saddle cells are resolved by the
 * mean of their four corners.
 *
 * @example
 * ```ts
 * import { isolineSegments } from '@emerge/viz';
 *
 * isolineSegments({ x: [0, 1], y: [0, 1], values: [[0, 1], [1, 2]] }, 1.5);
 * // => [{ x1: 1, y1: 0.5, x2: 0.5, y2: 1 }]
 * const [segment] = isolineSegments({ x: [0, 1], y: [0, 1], values: [[0, 1], [1, 2]] }, 1.5);
 * console.assert(segment!.x1 === 1 && segment!.y1 === 0.5 && segment!.x2 === 0.5 && segment!.y2 === 1);
 * ```
 */
export function isolineSegments(grid: Grid, level: number): Segment[] {
  checkGrid(grid);
  if (!Number.isFinite(level)) throw new OptionError('level', 'a finite number', level);
  const segments: Segment[] = [];
  for (let row = 0; row + 1 < grid.y.length; row++) {
    for (let column = 0; column + 1 < grid.x.length; column++) {
      segments.push(...cellSegments(grid, row, column, level));
    }
  }
  return segments;
}

interface Corner {
  x: number;
  y: number;
  value: number;
}

function cellSegments(grid: Grid, row: number, column: number, level: number): Segment[] {
  const at = (r: number, c: number): Corner => ({
    x: grid.x[c] ?? 0,
    y: grid.y[r] ?? 0,
    value: grid.values[r]?.[c] ?? 0,
  });
  // Corners counter-clockwise from the lower left; edge k joins corner k and corner k + 1.
  const corners = [at(row, column), at(row, column + 1), at(row + 1, column + 1), at(row + 1, column)];
  const above = corners.map((corner) => corner.value >= level);
  const crossings = new Map<number, { x: number; y: number }>();
  corners.forEach((start, edge) => {
    const end = corners[(edge + 1) % 4] as Corner;
    if (above[edge] === above[(edge + 1) % 4]) return;
    const t = (level - start.value) / (end.value - start.value);
    crossings.set(edge, { x: start.x + t * (end.x - start.x), y: start.y + t * (end.y - start.y) });
  });
  if (crossings.size === 0) return [];
  // Cut off every corner that stands alone on its side: corner k lies between edges k - 1 and k.
  // With two crossings exactly one corner or one pair is cut; pairs are cut by the edges they share.
  const edges = [...crossings.keys()];
  if (crossings.size === 2) {
    const piece = segment(crossings, edges[0] ?? 0, edges[1] ?? 0);
    // A level through a grid point can make a cell's two crossings coincide: nothing to draw there.
    return piece.x1 === piece.x2 && piece.y1 === piece.y2 ? [] : [piece];
  }
  const centerAbove = corners.reduce((sum, corner) => sum + corner.value, 0) / 4 >= level;
  // A saddle: the corners on the centre's side are joined through the centre, the others are cut off.
  return [0, 1, 2, 3]
    .filter((corner) => above[corner] !== centerAbove)
    .map((corner) => segment(crossings, (corner + 3) % 4, corner));
}

function segment(crossings: Map<number, { x: number; y: number }>, from: number, to: number): Segment {
  const start = crossings.get(from) ?? { x: 0, y: 0 };
  const end = crossings.get(to) ?? { x: 0, y: 0 };
  return { x1: start.x, y1: start.y, x2: end.x, y2: end.y };
}
