export {
  computeFloat32,
  FLOAT32_KERNEL_BACKENDS,
  type Float32KernelGradient,
  hasFloat32Kernel,
  registerFloat32Kernel,
  runFloat32Kernel,
  type SigmoidInPlace,
} from './backend/float32-kernel.js';
export { type BackendChoice, type SelectBackendOptions, selectBackend } from './backend/select-backend.js';
export { patchWasmEqual } from './backend/wasm-equal.js';
export { patchWasmIdentity } from './backend/wasm-identity.js';
export { patchWasmKernels } from './backend/wasm-kernels.js';
export { patchWasmMatMul } from './backend/wasm-matmul.js';
export { wasmModuleOnHeap } from './backend/wasm-module-on-heap.js';
export { patchWasmSlice } from './backend/wasm-slice.js';
export { patchWasmSum } from './backend/wasm-sum.js';
export { patchWasmTranspose } from './backend/wasm-transpose.js';
export {
  ADDITION_VOCABULARY,
  type AdditionOptions,
  type AdditionProblems,
  createAdditionProblems,
  EQUALS_TOKEN,
  PLUS_TOKEN,
} from './data/addition-problems.js';
export { averagePool } from './data/average-pool.js';
export { brownToPlainText } from './data/brown-text.js';
export { type CharacterTokenizer, createCharacterTokenizer } from './data/character-tokenizer.js';
export {
  createDelayedRecall,
  type DelayedRecallBatch,
  type DelayedRecallOptions,
} from './data/delayed-recall.js';
export { type DocumentSplit, type DocumentSplitOptions, splitDocuments } from './data/document-split.js';
export { type ImageBatch, imageBatches } from './data/image-batches.js';
export { type ImageSet, takeImages } from './data/image-set.js';
export { type ImageTensors, toImageTensors } from './data/image-tensors.js';
export { applyLabelNoise, type LabelNoiseOptions, type NoisyLabels } from './data/label-noise.js';
export { lazyBatches } from './data/lazy-batches.js';
export {
  type LabelledImages,
  loadMnist,
  MNIST_CLASSES,
  MNIST_IMAGE_SIDE,
  MNIST_PIXELS,
  type MnistDigits,
} from './data/mnist.js';
export {
  createModularArithmetic,
  type ModularArithmeticDataset,
  type ModularArithmeticOptions,
  type ModularOperation,
} from './data/modular-arithmetic.js';
export { oneHot } from './data/one-hot.js';
export { loadOptionalPackage, MissingPackageError } from './data/optional-package.js';
export { type ShuffledBatchOptions, shuffledBatches } from './data/shuffled-batches.js';
export {
  createSparseParity,
  type SparseParity,
  type SparseParityBatch,
  type SparseParityOptions,
} from './data/sparse-parity.js';
export { type SplitOptions, splitMnist, type TrainTestSplit } from './data/split-images.js';
export {
  createTeacherRegression,
  type TeacherRegression,
  type TeacherRegressionOptions,
} from './data/teacher-regression.js';
export { tokenPrefixes } from './data/token-prefixes.js';
export {
  type SampleWindowOptions,
  sampleTokenWindows,
  type TileWindowOptions,
  type TokenWindows,
  tileTokenWindows,
} from './data/token-windows.js';
export { type ViewingCondition, viewImages } from './data/view-images.js';
export { OptionError, requireIntegerInRange, requireNumberInRange } from './errors.js';
export { type CrossingOptions, firstCrossing } from './fit/first-crossing.js';
export { coefficientOfDetermination, type LinearFit, linearRegression } from './fit/linear-regression.js';
export { logLogSlope } from './fit/log-log-slope.js';
export { fitPowerLaw, type PowerLawFit } from './fit/power-law.js';
export { averageRanks, spearman } from './fit/spearman.js';
export type { ForwardOptions, Model } from './model.js';
export { createRandom, type Random } from './random.js';
export { canonicalJson, type JsonValue } from './runner/canonical-json.js';
export { type RunSpec, runKey } from './runner/run-key.js';
export { SHARD_INDEX_VARIABLES, type Shard, shardFromEnvironment, validateShard } from './runner/shard.js';
export type { RunEventBase, SweepEvent, SweepEventType } from './runner/sweep-events.js';
export { type PlannedRun, type PlanSweepOptions, planSweep, type SweepPlan } from './runner/sweep-plan.js';
export {
  createSweepProgress,
  type EtaInput,
  estimateEta,
  type SweepProgress,
} from './runner/sweep-progress.js';
