/**
 * The closed-form test risk of min-norm least squares on isotropic Gaussian features, the theory curve
 * of double descent (Breiman & Freedman 1983 for p < n; Belkin, Hsu & Xu 2020, Theorem 1 for p > n).
 */
import { OptionError, requireIntegerInRange, requireNumberInRange } from '@emerge/core';

/** Options of {@link leastSquaresRisk}. */
export interface LeastSquaresRiskOptions {
  /** Total number of features `d` of the true linear model. Required, integer >= 1. */
  features: number;
  /** Number of training samples `n`. Required, integer >= 1. */
  samples: number;
  /** Number of features `p` the model uses (the first p of d). Required, integer in [0, features]. */
  chosen: number;
  /** Variance `sigma^2` of the label noise. Required, >= 0. */
  noiseVariance: number;
  /** Squared norm of the true coefficients on the chosen features, `|beta_chosen|^2`. Required, >= 0. */
  signalNormChosen: number;
  /** Squared norm of the true coefficients on the other features, `|beta_rest|^2`. Required, >= 0. */
  signalNormRest: number;
}

/**
 * Expected squared-error test risk `E[(y - x^T w)^2]` (noise included) of the min-norm least-squares
 * fit `w` that uses `p` of `d` standard Gaussian features, `y = x^T beta + noise`, averaged over the
 * training sample:
 * - `p <= n - 2`: `(|beta_rest|^2 + sigma^2) (1 + p / (n - p - 1))`;
 * - `p >= n + 2`: `|beta_chosen|^2 (1 - n / p) + (|beta_rest|^2 + sigma^2) (1 + n / (p - n - 1))`;
 * - `|p - n| <= 1`: `Infinity` (the expectation diverges).
 *
 * @example
 * ```ts
 * import { leastSquaresRisk } from '@emerge/optim';
 *
 * const risk = leastSquaresRisk({ features: 100, samples: 40, chosen: 20, noiseVariance: 1 / 25,
 *   signalNormChosen: 0.2, signalNormRest: 0.8 }); // => (0.8 + 0.04) * (1 + 20 / 19) = 1.724
 * console.assert(Math.abs(risk - (0.8 + 0.04) * (1 + 20 / 19)) < 1e-12);
 * ```
 */
export function leastSquaresRisk(options: LeastSquaresRiskOptions): number {
  const features = requireIntegerInRange('features', options.features, 1, Number.MAX_SAFE_INTEGER);
  const samples = requireIntegerInRange('samples', options.samples, 1, Number.MAX_SAFE_INTEGER);
  const chosen = requireIntegerInRange('chosen', options.chosen, 0, features);
  const noiseVariance = requireNumberInRange(
    'noiseVariance',
    options.noiseVariance,
    0,
    Number.POSITIVE_INFINITY,
  );
  const signalNormChosen = requireNumberInRange(
    'signalNormChosen',
    options.signalNormChosen,
    0,
    Number.POSITIVE_INFINITY,
  );
  const signalNormRest = requireNumberInRange(
    'signalNormRest',
    options.signalNormRest,
    0,
    Number.POSITIVE_INFINITY,
  );
  if (!Number.isFinite(noiseVariance + signalNormChosen + signalNormRest)) {
    throw new OptionError('noiseVariance, signalNormChosen, signalNormRest', 'finite', 'Infinity');
  }
  const unexplained = signalNormRest + noiseVariance;
  if (chosen <= samples - 2) return unexplained * (1 + chosen / (samples - chosen - 1));
  if (chosen >= samples + 2) {
    return signalNormChosen * (1 - samples / chosen) + unexplained * (1 + samples / (chosen - samples - 1));
  }
  return Number.POSITIVE_INFINITY;
}
