import { createRandom } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readParameters } from './flat-parameters.js';
import {
  filterNormalizedDirection,
  interpolateParameters,
  lossSlice,
  lossSurface,
} from './loss-landscape.js';
import { disposeAll, useCpuBackend, valuesOf, variablesOf } from './test-support.js';

beforeAll(useCpuBackend);

/** Norm of the entries of a flat [rows, columns] block picked by `select(row, column)`. */
function groupNorm(
  values: Float64Array,
  rows: number,
  columns: number,
  select: (row: number, column: number) => boolean,
) {
  let sum = 0;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++)
      if (select(row, column)) sum += (values[row * columns + column] as number) ** 2;
  }
  return Math.sqrt(sum);
}

describe('filterNormalizedDirection', () => {
  const kernel = [
    [1, 0, 3],
    [2, 0, -1],
  ]; // [in = 2, out = 3]; output unit 1 is dead (zero filter)

  it('scales each filter (last axis by default) to the norm of the same filter of the weights; zeroes biases', () => {
    const variables = variablesOf({ kernel, bias: [0.5, -0.5, 2] });
    const direction = filterNormalizedDirection({ variables, random: createRandom(1) });
    const theta = readParameters(variables);
    expect(direction.length).toBe(9);
    for (let unit = 0; unit < 3; unit++) {
      const directionNorm = groupNorm(direction, 2, 3, (_, column) => column === unit);
      expect(directionNorm).toBeCloseTo(
        groupNorm(theta, 2, 3, (_, column) => column === unit),
        10,
      );
    }
    expect(Array.from(direction.subarray(6))).toEqual([0, 0, 0]);
    // Reproducible from the seed, different for another seed.
    expect(filterNormalizedDirection({ variables, random: createRandom(1) })).toEqual(direction);
    expect(filterNormalizedDirection({ variables, random: createRandom(2) })).not.toEqual(direction);
    disposeAll(variables);
  });

  it('supports first-axis filters and normalized 1-D parameters', () => {
    const variables = variablesOf({ kernel, bias: [3, 4] });
    const direction = filterNormalizedDirection({
      variables,
      random: createRandom(3),
      filterAxis: 'first',
      oneDimensional: 'normalize',
    });
    const theta = readParameters(variables);
    for (let row = 0; row < 2; row++) {
      expect(groupNorm(direction, 2, 3, (r) => r === row)).toBeCloseTo(
        groupNorm(theta, 2, 3, (r) => r === row),
        10,
      );
    }
    expect(Math.hypot(direction[6] as number, direction[7] as number)).toBeCloseTo(5, 10);
    disposeAll(variables);
  });
});

describe('lossSlice, lossSurface and interpolateParameters', () => {
  // f(w) = sum((w - c)^2) with accuracy-like second metric.
  const centre = [1, -1, 2];
  const setup = () => {
    const variables = variablesOf({ w: [0, 0, 0] });
    const evaluate = () => {
      const loss = tf.sum(tf.square(tf.sub(variables.get('w')!, tf.tensor(centre))));
      return { loss: loss.dataSync()[0] as number, first: variables.get('w')!.dataSync()[0] as number };
    };
    return { variables, evaluate };
  };
  const closedForm = (w: number[]) =>
    w.reduce((sum, value, index) => sum + (value - (centre[index] as number)) ** 2, 0);

  it('evaluates a 1-D slice at origin + t d and restores the parameters without leaks', () => {
    const { variables, evaluate } = setup();
    const direction = new Float64Array([1, 0, 1]);
    const before = tf.memory().numTensors;
    const slice = lossSlice({ variables, evaluate, direction, coordinates: [-1, 0, 0.5, 2] });
    expect(tf.memory().numTensors).toBe(before);
    expect(slice.coordinates).toEqual([-1, 0, 0.5, 2]);
    slice.coordinates.forEach((t, index) => {
      expect(slice.metrics.loss?.[index]).toBeCloseTo(closedForm([t, 0, t]), 5);
    });
    expect(slice.metrics.first).toEqual([-1, 0, 0.5, 2]);
    expect(valuesOf(variables, 'w')).toEqual([0, 0, 0]);
    disposeAll(variables);
  });

  it('evaluates a 2-D grid as metrics[row = y][column = x]', () => {
    const { variables, evaluate } = setup();
    const surface = lossSurface({
      variables,
      evaluate,
      directions: [new Float64Array([1, 0, 0]), new Float64Array([0, 0, 1])],
      xCoordinates: [0, 1, 2],
      yCoordinates: [-1, 3],
      origin: new Float64Array([0, 1, 0]),
    });
    expect(surface.metrics.loss?.length).toBe(2);
    surface.yCoordinates.forEach((y, row) => {
      surface.xCoordinates.forEach((x, column) => {
        expect(surface.metrics.loss?.[row]?.[column]).toBeCloseTo(closedForm([x, 1, y]), 5);
      });
    });
    expect(valuesOf(variables, 'w')).toEqual([0, 0, 0]);
    disposeAll(variables);
  });

  it('interpolates alpha * to + (1 - alpha) * from, extrapolating outside [0, 1]', () => {
    const { variables, evaluate } = setup();
    const from = new Float64Array([0, 0, 0]);
    const to = new Float64Array([2, -2, 4]);
    const line = interpolateParameters({ variables, evaluate, from, to, alphas: [-1, 0, 0.5, 1, 2] });
    line.coordinates.forEach((alpha, index) => {
      expect(line.metrics.loss?.[index]).toBeCloseTo(closedForm([2 * alpha, -2 * alpha, 4 * alpha]), 4);
    });
    expect(line.metrics.loss?.[2]).toBeCloseTo(0, 5);
    expect(() =>
      interpolateParameters({ variables, evaluate, from, to: new Float64Array(2), alphas: [0] }),
    ).toThrow(/to\.length/);
    expect(() =>
      lossSlice({ variables, evaluate, direction: new Float64Array(3), coordinates: [Number.NaN] }),
    ).toThrow(/coordinates/);
    expect(valuesOf(variables, 'w')).toEqual([0, 0, 0]);
    disposeAll(variables);
  });
});
