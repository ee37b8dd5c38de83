import { createRandom } from '@emerge/core';
import { describe, expect, it } from 'vitest';
import { spectralDensity } from './spectral-density.js';
import { matrixOperator, matrixWithSpectrum } from './test-support.js';

describe('spectralDensity', () => {
  // 60 eigenvalues: 40 near 0 (a bulk) and 20 at 10 (outliers), as in trained-network Hessians.
  const spectrum = Array.from({ length: 60 }, (_, index) => (index < 40 ? (index % 5) * 0.05 : 10));
  const operator = matrixOperator(matrixWithSpectrum(spectrum, 9), 60);

  it('integrates to 1 and puts the right mass near each cluster', () => {
    const { grid, density, nodes, weights } = spectralDensity(operator, {
      probes: 20,
      steps: 20,
      random: createRandom(3),
      relativeBandwidth: 0.01,
    });
    expect(nodes.length).toBe(20);
    for (const probeWeights of weights)
      expect(probeWeights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(1, 10);
    const spacing = (grid[1] as number) - (grid[0] as number);
    const integral = density.reduce((sum, value) => sum + value * spacing, 0);
    expect(integral).toBeCloseTo(1, 2);
    const massAbove = density.reduce(
      (sum, value, index) => sum + ((grid[index] as number) > 5 ? value * spacing : 0),
      0,
    );
    // A third of the eigenvalues sit at 10; 20 probes estimate that share within a few percent.
    expect(massAbove).toBeGreaterThan(0.27);
    expect(massAbove).toBeLessThan(0.4);
    expect(Math.max(...nodes.flat())).toBeCloseTo(10, 6);
  });

  it('rejects bad options', () => {
    expect(() => spectralDensity(operator, { probes: 0 })).toThrow(/probes/);
    expect(() => spectralDensity(operator, { gridPoints: 1 })).toThrow(/gridPoints/);
  });
});
