import { createRandom } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { hutchinsonTrace } from './hessian-trace.js';
import { matrixOperator, matrixWithSpectrum } from './test-support.js';

describe('hutchinsonTrace', () => {
  it('is exact for a diagonal matrix (Rademacher probes have v_i^2 = 1)', () => {
    const matrix = new Float64Array([2, 0, 0, 0, -1, 0, 0, 0, 7]);
    const { estimate, standardError } = hutchinsonTrace(matrixOperator(matrix, 3), { samples: 3 });
    expect(estimate).toBeCloseTo(8, 12);
    expect(standardError).toBeCloseTo(0, 12);
  });

  it('estimates the trace of a dense matrix within its standard error', () => {
    const spectrum = Array.from({ length: 40 }, (_, index) => 1 + (index % 7) - 2);
    const trace = spectrum.reduce((sum, value) => sum + value, 0);
    const result = hutchinsonTrace(matrixOperator(matrixWithSpectrum(spectrum, 3), 40), {
      samples: 400,
      random: createRandom(7),
    });
    expect(result.samples.length).toBe(400);
    expect(Math.abs(result.estimate - trace)).toBeLessThan(4 * result.standardError);
    expect(result.standardError).toBeLessThan(0.1 * Math.abs(trace));
    expect(() => hutchinsonTrace(matrixOperator(new Float64Array(1), 1), { samples: 0 })).toThrow(/samples/);
  });
});
