/**
 * The eigenvalue density of a large symmetric operator by stochastic Lanczos quadrature (Ubaru, Chen &
 * Saad 2017; Ghorbani, Krishnan & Xiao 2019): each random probe's Lanczos run gives nodes (Ritz values)
 * and weights whose Gaussian-smoothed sum estimates the spectral density.
 */
import { createRandom, type Random, requireIntegerInRange, requireNumberInRange } from '@emerge/core';
import { lanczos } from './lanczos.js';
import { type LinearOperator, rademacherVector } from './vector-math.js';

/** Options of {@link spectralDensity}. */
export interface SpectralDensityOptions {
  /** Number of random probes averaged. Default: `4`. */
  probes?: number;
  /** Lanczos steps per probe (nodes per probe). Default: `min(dimension, 40)`. */
  steps?: number;
  /** Points of the evaluation grid. Default: `201`. */
  gridPoints?: number;
  /**
   * Standard deviation of the Gaussian that smooths each node, relative to the spread of all nodes.
   * Default: `0.01`.
   */
  relativeBandwidth?: number;
  /** Source of the probes. Default: `createRandom(0)`. */
  random?: Random;
}

/** The result of {@link spectralDensity}. */
export interface SpectralDensity {
  /** Per probe: the quadrature nodes (Ritz values). */
  nodes: number[][];
  /** Per probe: the quadrature weights (each probe's sum to 1). */
  weights: number[][];
  /** Evaluation points, ascending, spanning the nodes plus three bandwidths on each side. */
  grid: number[];
  /** Estimated density at the grid points (integrates to about 1). */
  density: number[];
}

/**
 * Estimates the spectral density of a symmetric operator.
 * @example
 * ```ts
 * import { createRandom } from '@emerge/core';
 * import { spectralDensity } from '@emerge/optim';
 *
 * // Eigenvalues 0.01, 0.02, ..., 1: the density is spread evenly over [0, 1].
 * const operator = {
 *   dimension: 100,
 *   multiply: (vector: Float64Array) => vector.map((value, index) => (value * (index + 1)) / 100),
 * };
 * const { grid, density } = spectralDensity(operator, { probes: 3, steps: 60, random: createRandom(3) });
 * console.assert(grid.length === density.length && density.every((value) => value >= 0));
 * ```
 */
export function spectralDensity(
  operator: LinearOperator,
  options: SpectralDensityOptions = {},
): SpectralDensity {
  const probes = requireIntegerInRange('probes', options.probes ?? 4, 1, Number.MAX_SAFE_INTEGER);
  const steps = requireIntegerInRange(
    'steps',
    options.steps ?? Math.min(operator.dimension, 40),
    1,
    operator.dimension,
  );
  const gridPoints = requireIntegerInRange(
    'gridPoints',
    options.gridPoints ?? 201,
    2,
    Number.MAX_SAFE_INTEGER,
  );
  const relativeBandwidth = requireNumberInRange(
    'relativeBandwidth',
    options.relativeBandwidth ?? 0.01,
    1e-9,
    1,
  );
  const random = options.random ?? createRandom(0);
  const nodes: number[][] = [];
  const weights: number[][] = [];
  for (let probe = 0; probe < probes; probe++) {
    const result = lanczos(operator, { steps, start: rademacherVector(operator.dimension, random) });
    nodes.push(Array.from(result.ritzValues));
    weights.push(Array.from(result.ritzWeights));
  }
  const all = nodes.flat();
  const lowest = Math.min(...all);
  const highest = Math.max(...all);
  const bandwidth = relativeBandwidth * Math.max(highest - lowest, Math.abs(highest), 1e-12);
  const start = lowest - 3 * bandwidth;
  const spacing = (highest + 3 * bandwidth - start) / (gridPoints - 1);
  const grid = Array.from({ length: gridPoints }, (_, index) => start + index * spacing);
  const normalization = 1 / (probes * bandwidth * Math.sqrt(2 * Math.PI));
  const density = grid.map((point) => {
    let sum = 0;
    nodes.forEach((probeNodes, probe) => {
      probeNodes.forEach((node, index) => {
        sum +=
          ((weights[probe] as number[])[index] as number) *
          Math.exp(-0.5 * ((point - node) / bandwidth) ** 2);
      });
    });
    return sum * normalization;
  });
  return { nodes, weights, grid, density };
}
