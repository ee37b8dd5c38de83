import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assignFlat, flattenTensors, parameterLayout, readParameters } from './flat-parameters.js';
import { disposeAll, useCpuBackend, valuesOf, variablesOf } from './test-support.js';

beforeAll(useCpuBackend);

describe('flat parameters', () => {
  it('lays out trainable variables in map order and round-trips values', () => {
    const variables = variablesOf({ a: [[1, 2, 3]], b: [4] });
    variables.set('frozen', tf.variable(tf.tensor([9]), false));
    const layout = parameterLayout(variables);
    expect(layout).toEqual({ names: ['a', 'b'], shapes: [[1, 3], [1]], offsets: [0, 3], size: 4 });
    expect(Array.from(readParameters(variables))).toEqual([1, 2, 3, 4]);
    const before = tf.memory().numTensors;
    assignFlat(variables, layout, new Float64Array([5, 6, 7, 8.5]));
    expect(tf.memory().numTensors).toBe(before);
    expect(valuesOf(variables, 'a')).toEqual([5, 6, 7]);
    expect(Array.from(flattenTensors(variables, layout))).toEqual([5, 6, 7, 8.5]);
    expect(() => assignFlat(variables, layout, new Float64Array(3))).toThrow(/values\.length/);
    expect(() => flattenTensors(new Map(), layout)).toThrow(/"a"/);
    disposeAll(variables);
  });
});
