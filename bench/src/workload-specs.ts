/**
 * The five workloads of WORKLOADS.md: names, units, shapes and nominal FLOP counts. The counts come
 * from the shapes alone and are applied to both sides (ours and PyTorch), so GFLOP/s compares like with
 * like: a training step counts 3x the forward matMul FLOPs (forward, input gradient, weight gradient);
 * elementwise work (activations, norms, softmax, the optimizer) is not counted.
 */

/** FLOPs of one [rows, inner] x [inner, columns] matrix product (a multiply and an add per term). */
export function matMulFlops(rows: number, inner: number, columns: number): number {
  return 2 * rows * inner * columns;
}

/** Shape of the Transformer step: decoder-only, one-hot embedding, GELU MLP `mlpRatio` x. */
export const TRANSFORMER_SHAPE = {
  vocabSize: 64,
  modelSize: 128,
  layerCount: 2,
  headCount: 4,
  contextLength: 64,
  batchSize: 32,
  mlpRatio: 4,
} as const;

/** Shape of the LSTM step: one-hot tokens into an LSTM, a linear head at every step. */
export const LSTM_SHAPE = { vocabSize: 64, hiddenSize: 128, contextLength: 64, batchSize: 32 } as const;

/** The MLP of the MNIST epoch and of the Hessian-vector product. */
export const MNIST_MLP_SIZES: readonly number[] = [784, 512, 512, 10];

/** The MNIST epoch: examples per epoch and per step. */
export const MNIST_EPOCH_SHAPE = { exampleCount: 10_000, batchSize: 64 } as const;

/** Examples in the loss of the Hessian-vector product. */
export const HESSIAN_EXAMPLE_COUNT = 1000;

/** The grokking sweep: a + b mod 97, half of all pairs as one full batch, 8 seeds x 20 AdamW steps. */
export const GROKKING_SHAPE = { modulus: 97, hiddenSize: 512, seedCount: 8, stepCount: 20 } as const;

/** Training pairs of the grokking sweep: half of the p^2 pairs, rounded half up (4,705 for p = 97). */
export function grokkingTrainCount(modulus: number): number {
  return Math.round(0.5 * modulus * modulus);
}

/** Forward FLOPs of an MLP on `exampleCount` rows: one matMul per layer. */
export function mlpForwardFlops(layerSizes: readonly number[], exampleCount: number): number {
  let flops = 0;
  for (let layer = 1; layer < layerSizes.length; layer++) {
    flops += matMulFlops(exampleCount, layerSizes[layer - 1] ?? 0, layerSizes[layer] ?? 0);
  }
  return flops;
}

/**
 * Forward FLOPs of the Transformer on one batch: the one-hot embedding (B·T x V x C), per layer the
 * qkv (C x 3C), output (C x C) and MLP (C x rC, rC x C) projections, the attention products q·kᵀ and
 * weights·v (2 x 2·B·T²·C, full square although causal), and the head (C x V).
 */
export function transformerForwardFlops(shape: typeof TRANSFORMER_SHAPE): number {
  const { vocabSize, modelSize, layerCount, contextLength, batchSize, mlpRatio } = shape;
  const tokens = batchSize * contextLength;
  const projections = (3 + 1 + 2 * mlpRatio) * modelSize * modelSize;
  const perLayer =
    2 * tokens * projections + 2 * matMulFlops(batchSize * contextLength, modelSize, contextLength);
  return 2 * matMulFlops(tokens, vocabSize, modelSize) + layerCount * perLayer;
}

/** Forward FLOPs of the LSTM on one batch: at each step x·W_ih (V x 4H) and h·W_hh (H x 4H), then the head (H x V). */
export function lstmForwardFlops(shape: typeof LSTM_SHAPE): number {
  const { vocabSize, hiddenSize, contextLength, batchSize } = shape;
  const tokens = batchSize * contextLength;
  return (
    matMulFlops(tokens, vocabSize + hiddenSize, 4 * hiddenSize) + matMulFlops(tokens, hiddenSize, vocabSize)
  );
}

/** One of the five workloads. */
export interface WorkloadSpec {
  /** Name as in WORKLOADS.md, e.g. `transformer-train-step`. */
  name: string;
  /** What one timed repetition is, e.g. `step`. */
  unit: string;
  /** The shape in words. */
  shape: string;
  /** Nominal FLOPs of one repetition. */
  flops: number;
  /** How `flops` is counted, for the README. */
  formula: string;
  /** Timed repetitions when `--repeats` is not given (fewer for the long ones). */
  defaultRepeats: number;
}

const mlpWeightFlops = mlpForwardFlops(MNIST_MLP_SIZES, 1);
const grokkingSizes = [2 * GROKKING_SHAPE.modulus, GROKKING_SHAPE.hiddenSize, GROKKING_SHAPE.modulus];

/** The five workloads in the order they run. */
export const WORKLOADS: readonly WorkloadSpec[] = [
  {
    name: 'transformer-train-step',
    unit: 'step',
    shape: 'decoder-only, vocab 64, d_model 128, 2 layers, 4 heads, context 64, batch 32, GELU MLP 4x, Adam',
    flops: 3 * transformerForwardFlops(TRANSFORMER_SHAPE),
    formula: '3 x [2·BT·V·C (one-hot embedding) + L·(2·BT·12C² + 4·B·T²·C) + 2·BT·C·V (head)]',
    defaultRepeats: 10,
  },
  {
    name: 'lstm-train-step',
    unit: 'step',
    shape: 'LSTM hidden 128 over one-hot vocab 64, context 64, batch 32, linear head, Adam',
    flops: 3 * lstmForwardFlops(LSTM_SHAPE),
    formula: '3 x [2·BT·(V+H)·4H (gates) + 2·BT·H·V (head)]',
    defaultRepeats: 5,
  },
  {
    name: 'mlp-mnist-epoch',
    unit: 'epoch',
    shape: 'MLP 784-512-512-10 ReLU, 10,000 MNIST digits, batch 64, SGD momentum 0.9',
    flops: 3 * MNIST_EPOCH_SHAPE.exampleCount * mlpWeightFlops,
    formula: '3 x 2·N·(784·512 + 512·512 + 512·10), N = 10,000',
    defaultRepeats: 3,
  },
  {
    name: 'mlp-hessian-vector-product',
    unit: 'product',
    shape: 'the same MLP, cross-entropy over 1,000 examples, one Hessian-vector product',
    flops: 2 * 3 * HESSIAN_EXAMPLE_COUNT * mlpWeightFlops,
    formula: '2 gradients x 3 x 2·N·(784·512 + 512·512 + 512·10), N = 1,000',
    defaultRepeats: 5,
  },
  {
    name: 'grokking-8-seeds-20-steps',
    unit: 'sweep',
    shape:
      'MLP 194-512-97 on one-hot pairs a + b mod 97, 4,705 pairs full batch, AdamW wd 1, 8 seeds x 20 steps',
    flops:
      GROKKING_SHAPE.seedCount *
      GROKKING_SHAPE.stepCount *
      3 *
      mlpForwardFlops(grokkingSizes, grokkingTrainCount(GROKKING_SHAPE.modulus)),
    formula: '8 x 20 x 3 x 2·N·(194·512 + 512·97), N = 4,705',
    defaultRepeats: 3,
  },
];

/** Names of the workloads, in order. */
export const WORKLOAD_NAMES: readonly string[] = WORKLOADS.map((workload) => workload.name);

/** The spec of `name`; throws for an unknown name. */
export function workloadSpec(name: string): WorkloadSpec {
  const spec = WORKLOADS.find((workload) => workload.name === name);
  if (spec === undefined) throw new Error(`unknown workload ${name}`);
  return spec;
}
