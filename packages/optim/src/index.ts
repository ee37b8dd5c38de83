export { type AdamOptions, createAdam, createAdamW } from './adam.js';
export {
  type EpsilonSharpnessOptions,
  type EpsilonSharpnessResult,
  epsilonSharpness,
} from './epsilon-sharpness.js';
export {
  assignFlat,
  flattenTensors,
  type ParameterLayout,
  parameterLayout,
  readParameters,
} from './flat-parameters.js';
export {
  type ClippedGradients,
  clipByGlobalNorm,
  computeGradients,
  disposeGradients,
  globalNorm,
  type LossAndGradients,
  type NamedGradients,
} from './gradients.js';
export { type HutchinsonTraceOptions, type HutchinsonTraceResult, hutchinsonTrace } from './hessian-trace.js';
export {
  createHessianOperator,
  type HessianOperator,
  type HessianOperatorOptions,
} from './hessian-vector-product.js';
export { type LanczosOptions, type LanczosResult, lanczos } from './lanczos.js';
export { type LeastSquaresRiskOptions, leastSquaresRisk } from './least-squares-risk.js';
export {
  type FilterNormalizedDirectionOptions,
  filterNormalizedDirection,
  type InterpolationOptions,
  interpolateParameters,
  type LandscapeEvaluation,
  type LossSlice,
  type LossSliceOptions,
  type LossSurface,
  type LossSurfaceOptions,
  lossSlice,
  lossSurface,
} from './loss-landscape.js';
export {
  type MinNormLeastSquaresOptions,
  type MinNormLeastSquaresResult,
  minNormLeastSquares,
  minNormLeastSquaresPrefixes,
} from './min-norm-least-squares.js';
export {
  createGradientOptimizer,
  type GradientOptimizer,
  type Optimizer,
  type OptimizerOptions,
  type UpdateContext,
  type UpdateRule,
} from './optimizer.js';
export { createSam, type SamOptions } from './sam.js';
export {
  type CosineScheduleOptions,
  constantSchedule,
  cosineSchedule,
  type Schedule,
  type StepScheduleOptions,
  stepSchedule,
  toSchedule,
  warmup,
} from './schedules.js';
export { createSgd, type SgdOptions } from './sgd.js';
export { type SpectralDensity, type SpectralDensityOptions, spectralDensity } from './spectral-density.js';
export { type SymmetricEigen, symmetricEigen } from './symmetric-eigen.js';
export { type TopEigenvaluesOptions, type TopEigenvaluesResult, topEigenvalues } from './top-eigenvalues.js';
export {
  type EvaluationResult,
  NonFiniteLossError,
  type StepPosition,
  type TrainingHistory,
  type TrainingTarget,
  type TrainOptions,
  train,
} from './training-loop.js';
export type { LinearOperator } from './vector-math.js';
