export type { ForwardOptions, Model } from '@emerge/core';
export { ACTIVATIONS, type Activation, activate, gelu } from './activation.js';
export {
  countMlp,
  countRecurrent,
  countTransformer,
  type ModelCounts,
  type TransformerCounts,
} from './counts.js';
export { DENSE_INITS, type DenseInit } from './dense.js';
export { hotRowsProduct } from './hot-rows-product.js';
export { layerNorm } from './layer-norm.js';
export { createLinearReadout, type LinearReadoutOptions } from './linear-readout.js';
export { exampleLosses, LOSS_KINDS, type LossKind, maskedTokenCrossEntropy } from './loss.js';
export { createMlp, type Mlp, type MlpOptions } from './mlp.js';
export { createMlpEnsemble, type MlpEnsemble, type MlpEnsembleOptions } from './mlp-ensemble.js';
export {
  createRandomFeatures,
  RANDOM_FEATURE_KINDS,
  type RandomFeatureKind,
  type RandomFeatures,
  type RandomFeaturesOptions,
} from './random-features.js';
export {
  createRecurrent,
  RECURRENT_CELLS,
  type RecurrentCell,
  type RecurrentModel,
  type RecurrentOptions,
  type RecurrentState,
} from './recurrent.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  type HasVariables,
  loadWeights,
  SAFETENSORS_DTYPES,
  type SafetensorsContent,
  type SafetensorsDtype,
  type SafetensorsTensor,
  saveWeights,
} from './safetensors.js';
export { spectralRadius } from './spectral-radius.js';
export {
  createTransformer,
  type LinearInit,
  type Transformer,
  type TransformerOptions,
} from './transformer.js';
