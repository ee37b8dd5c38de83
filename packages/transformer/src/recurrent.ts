import type { ForwardOptions, Model } from '@emerge/core';
import { createRandom, hasFloat32Kernel, OptionError, requireNumberInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { drawNormal } from './initializers.js';
import { maskedTokenCrossEntropy } from './loss.js';
import { CELL_KERNELS, registerCellKernels, runCell } from './recurrent-cell-kernels.js';
import { spectralRadius } from './spectral-radius.js';
import { requireOneOf, requireSeed, requireSize, requireTensor } from './validation.js';
import { VariableSet } from './variables.js';

/** Recurrent cells: a simple tanh RNN (Elman), an LSTM and a GRU, with PyTorch's equations and gate order. */
export const RECURRENT_CELLS = ['rnn', 'lstm', 'gru'] as const;

/** One of {@link RECURRENT_CELLS}. */
export type RecurrentCell = (typeof RECURRENT_CELLS)[number];

/** Options of {@link createRecurrent}. Give exactly one of `vocabSize` (token input) and `inputSize` (vector input). */
export interface RecurrentOptions {
  /** The cell. Required. */
  cell: RecurrentCell;
  /** Width of the hidden state. Required. */
  hiddenSize: number;
  /** Outputs of the readout at every step (logits). Required. */
  outputSize: number;
  /** Token input: int32 ids [batch, time], one-hot encoded (the input weight is the embedding). Default: none. */
  vocabSize?: number;
  /** Vector input: float32 [batch, time, inputSize]. Default: none. */
  inputSize?: number;
  /**
   * `rnn` only: draw the recurrent matrix N(0, 1/hiddenSize) and rescale it to exactly this spectral
   * radius (below 1 contracts, above 1 expands). Default: none (PyTorch's uniform initialization).
   */
  recurrentScale?: number;
  /**
   * Run each step's pointwise cell math (after its two matrix products) as one kernel with a one-kernel
   * gradient (`recurrent-cell-kernels.ts`), on the cpu and wasm backends: ~5x fewer kernels per step,
   * same equations. `false` builds every step from elementary tfjs ops — the step loop whose kernel
   * count the parallelism figure measures. Other backends always use elementary ops. Default: `true`.
   */
  fusedCells?: boolean;
  /** Seed of the initialization. Required. */
  seed: number;
  /** Model name. Default: `<cell>-h<hiddenSize>`. */
  name?: string;
}

/** The state carried between steps: the hidden state [batch, hidden] and, for an LSTM, the cell state. */
export type RecurrentState = {
  hidden: tf.Tensor2D;
  cell?: tf.Tensor2D;
};

/** A recurrent sequence model; create one with {@link createRecurrent}. */
export interface RecurrentModel extends Model<tf.Tensor, tf.Tensor2D, tf.Tensor3D> {
  readonly cell: RecurrentCell;
  readonly hiddenSize: number;
  /** Width of one step's input vector: `vocabSize` for token input, else `inputSize`. */
  readonly inputWidth: number;
  /** The zero state for a batch. */
  initialState(batch: number): RecurrentState;
  /** One step: x_t [batch, inputWidth] (one-hot rows for token input) and the previous state give the next state. */
  step(input: tf.Tensor2D, state: RecurrentState): RecurrentState;
  /** The readout of a hidden state: [batch, hidden] → logits [batch, outputs]. */
  readout(hidden: tf.Tensor2D): tf.Tensor2D;
  /** The hidden state after every step, [batch, time, hidden]. */
  hiddenStates(input: tf.Tensor): tf.Tensor3D;
  /** dLoss/dh_t at every step, [batch, time, hidden] (h_t as read by the next step and the readout). */
  hiddenStateGradients(input: tf.Tensor, target: tf.Tensor2D): tf.Tensor3D;
  /** dLoss/dx_t at every step, [batch, time, inputWidth] (for token input, w.r.t. the one-hot vectors). */
  inputGradients(input: tf.Tensor, target: tf.Tensor2D): tf.Tensor3D;
}

/** Gate blocks per cell: the widths of the stacked weights are G·H. */
export const GATE_COUNTS: Readonly<Record<RecurrentCell, number>> = { rnn: 1, lstm: 4, gru: 3 };

/**
 * Creates a recurrent model written step by step (a loop over time of one cell update, so its
 * sequential cost grows with the sequence), with a linear readout at every step. Variables:
 * `cell.inputWeight` [inputWidth, G·H], `cell.hiddenWeight` [H, G·H], `cell.inputBias` and
 * `cell.hiddenBias` [G·H] (G = 1, 4, 3; LSTM gates i, f, g, o; GRU gates r, z, n — PyTorch's layout, so
 * parameter counts match `nn.RNN`/`nn.LSTM`/`nn.GRU`), `readout.weight` [H, outputs], `readout.bias`.
 * Everything starts U(±1/sqrt(H)) like PyTorch. `loss` is the mean cross-entropy of the readout over the
 * positions whose int32 target is >= 0.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createRecurrent } from '@emerge/transformer';
 *
 * const lstm = createRecurrent({ cell: 'lstm', vocabSize: 10, hiddenSize: 64, outputSize: 8, seed: 1 });
 * const tokens = tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], 'int32');
 * const logits = lstm.forward(tokens); // int32 [batch, time] -> [batch, time, 8]
 * logits.shape; // => [1, 5, 8]
 * console.assert(logits.shape.join() === '1,5,8');
 * ```
 */
export function createRecurrent(options: RecurrentOptions): RecurrentModel {
  const cell = requireOneOf('cell', options.cell, RECURRENT_CELLS);
  const hiddenSize = requireSize('hiddenSize', options.hiddenSize);
  const outputSize = requireSize('outputSize', options.outputSize);
  const tokens = options.vocabSize !== undefined;
  if (tokens === (options.inputSize !== undefined)) {
    throw new OptionError('inputSize', 'given exactly when vocabSize is not', options.inputSize);
  }
  const inputWidth = tokens
    ? requireSize('vocabSize', options.vocabSize)
    : requireSize('inputSize', options.inputSize);
  if (options.recurrentScale !== undefined && cell !== 'rnn') {
    throw new OptionError('recurrentScale', 'unset unless cell is "rnn"', options.recurrentScale);
  }
  const random = createRandom(requireSeed('seed', options.seed));
  const gateWidth = GATE_COUNTS[cell] * hiddenSize;
  const bound = 1 / Math.sqrt(hiddenSize);
  const variables = new VariableSet();
  const uniform = (name: string, shape: number[]) =>
    variables.addUniform(name, shape, bound, random.fork(name));

  const inputWeight = uniform('cell.inputWeight', [inputWidth, gateWidth]);
  const hiddenWeight =
    options.recurrentScale === undefined
      ? uniform('cell.hiddenWeight', [hiddenSize, gateWidth])
      : variables.add(
          'cell.hiddenWeight',
          scaledRecurrentMatrix(
            random.fork('cell.hiddenWeight'),
            hiddenSize,
            requireNumberInRange('recurrentScale', options.recurrentScale, 0, 1e6),
          ),
          [hiddenSize, hiddenSize],
        );
  const inputBias = uniform('cell.inputBias', [gateWidth]);
  const hiddenBias = uniform('cell.hiddenBias', [gateWidth]);
  const readoutWeight = uniform('readout.weight', [hiddenSize, outputSize]);
  const readoutBias = uniform('readout.bias', [outputSize]);

  if (options.fusedCells ?? true) registerCellKernels();
  /** Whether this step runs the fused cell kernel (decided per call: the backend may change). */
  const fused = () => (options.fusedCells ?? true) && hasFloat32Kernel(CELL_KERNELS[cell]);
  /**
   * The input's projection x_t W_ih + b_ih [rows, G·H]; with the fused tanh RNN and LSTM cells, which
   * add both biases anyway, b_hh is folded in here once per sequence instead of once per step.
   */
  const project = (inputs: tf.Tensor2D): tf.Tensor2D => {
    const projected = tf.add(tf.matMul(inputs, inputWeight), inputBias) as tf.Tensor2D;
    return fused() && cell !== 'gru' ? (tf.add(projected, hiddenBias) as tf.Tensor2D) : projected;
  };

  /** The cell update from the input's projection ({@link project}) and the previous state. */
  const update = (projected: tf.Tensor2D, state: RecurrentState): RecurrentState => {
    if (fused()) {
      const product = tf.matMul(state.hidden, hiddenWeight);
      if (cell === 'rnn')
        return { hidden: runCell('rnn', { projected, recurrent: product })[0] as tf.Tensor2D };
      if (cell === 'lstm') {
        const [hidden, next] = runCell('lstm', {
          projected,
          recurrent: product,
          cell: state.cell as tf.Tensor,
        });
        return { hidden: hidden as tf.Tensor2D, cell: next as tf.Tensor2D };
      }
      const recurrent = tf.add(product, hiddenBias);
      return { hidden: runCell('gru', { projected, recurrent, hidden: state.hidden })[0] as tf.Tensor2D };
    }
    const recurrent = tf.add(tf.matMul(state.hidden, hiddenWeight), hiddenBias) as tf.Tensor2D; // [batch, G·H]
    if (cell === 'rnn') return { hidden: tf.tanh(tf.add<tf.Tensor2D>(projected, recurrent)) }; // h_t = tanh(x W_ih + b_ih + h W_hh + b_hh)
    if (cell === 'lstm') {
      const [inputGate, forgetGate, candidate, outputGate] = tf.split(
        tf.add(projected, recurrent),
        4,
        1,
      ) as tf.Tensor2D[];
      const next = tf.add(
        tf.mul(tf.sigmoid(forgetGate as tf.Tensor2D), state.cell as tf.Tensor2D),
        tf.mul(tf.sigmoid(inputGate as tf.Tensor2D), tf.tanh(candidate as tf.Tensor2D)),
      ) as tf.Tensor2D; // c_t = f ⊙ c_{t-1} + i ⊙ g
      return {
        hidden: tf.mul(tf.sigmoid(outputGate as tf.Tensor2D), tf.tanh(next)) as tf.Tensor2D,
        cell: next,
      }; // h_t = o ⊙ tanh(c_t)
    }
    const [inputReset, inputUpdate, inputNew] = tf.split(projected, 3, 1) as tf.Tensor2D[];
    const [hiddenReset, hiddenUpdate, hiddenNew] = tf.split(recurrent, 3, 1) as tf.Tensor2D[];
    const reset = tf.sigmoid(tf.add(inputReset as tf.Tensor2D, hiddenReset as tf.Tensor2D)); // r
    const keep = tf.sigmoid(tf.add(inputUpdate as tf.Tensor2D, hiddenUpdate as tf.Tensor2D)); // z
    const fresh = tf.tanh(tf.add(inputNew as tf.Tensor2D, tf.mul(reset, hiddenNew as tf.Tensor2D))); // n
    return { hidden: tf.add(tf.mul(tf.sub(1, keep), fresh), tf.mul(keep, state.hidden)) }; // (1 - z) ⊙ n + z ⊙ h
  };

  const initialState = (batch: number): RecurrentState => {
    const zeros = () => tf.zeros([batch, hiddenSize]) as tf.Tensor2D;
    return cell === 'lstm' ? { hidden: zeros(), cell: zeros() } : { hidden: zeros() };
  };

  /** The input as float vectors [batch, time, inputWidth]. */
  const vectors = (input: tf.Tensor): tf.Tensor3D => {
    if (!tokens) {
      requireTensor('input', input, 'float32', [null, null, inputWidth]);
      return input as tf.Tensor3D;
    }
    requireTensor('input', input, 'int32', [null, null]);
    return tf.oneHot(input as tf.Tensor2D, inputWidth).toFloat() as tf.Tensor3D;
  };

  /**
   * Runs the cell over time from input vectors, adding `hiddenOffsets[t]` (zeros, for gradients) to
   * each h_t; returns the hidden states [batch, time, hidden].
   */
  const unroll = (inputs: tf.Tensor3D, hiddenOffsets?: tf.Tensor2D[]): tf.Tensor3D => {
    const [batch, time, width] = inputs.shape;
    if (time < 1) throw new OptionError('input', 'a sequence of at least 1 step', time);
    const projected = project(inputs.reshape([batch * time, width])); // [batch*time, G·H]
    const perStep = tf.unstack(projected.reshape([batch, time, gateWidth]), 1) as tf.Tensor2D[]; // time × [batch, G·H]
    let state = initialState(batch);
    const hiddens = perStep.map((stepProjection, index) => {
      state = update(stepProjection, state);
      const offset = hiddenOffsets?.[index];
      if (offset) state = { ...state, hidden: tf.add(state.hidden, offset) };
      return state.hidden;
    });
    return tf.stack(hiddens, 1) as tf.Tensor3D; // [batch, time, hidden]
  };

  const readout = (hidden: tf.Tensor): tf.Tensor => {
    const shape = hidden.shape;
    const flat = tf.add(tf.matMul(hidden.reshape([-1, hiddenSize]), readoutWeight), readoutBias); // [rows, outputs]
    return flat.reshape([...shape.slice(0, -1), outputSize]);
  };

  const forward = (input: tf.Tensor, _options?: ForwardOptions): tf.Tensor3D =>
    tf.tidy(() => readout(unroll(vectors(input))) as tf.Tensor3D); // [batch, time, outputs]

  return {
    name: options.name ?? `${cell}-h${hiddenSize}`,
    cell,
    hiddenSize,
    inputWidth,
    variables: variables.map,
    forward,
    loss: (input, target) => tf.tidy(() => maskedTokenCrossEntropy(forward(input), target)),
    initialState,
    step(input, state) {
      requireTensor('input', input, 'float32', [null, inputWidth]);
      return tf.tidy(() => update(project(input), state));
    },
    readout: (hidden) => {
      requireTensor('hidden', hidden, 'float32', [null, hiddenSize]);
      return tf.tidy(() => readout(hidden) as tf.Tensor2D);
    },
    hiddenStates: (input) => tf.tidy(() => unroll(vectors(input))),
    hiddenStateGradients(input, target) {
      return tf.tidy(() => {
        const inputs = vectors(input);
        const [batch, time] = inputs.shape;
        const offsets = Array.from({ length: time }, () => tf.zeros([batch, hiddenSize]) as tf.Tensor2D);
        const gradients = tf.grads((...steps: tf.Tensor[]) =>
          maskedTokenCrossEntropy(readout(unroll(inputs, steps as tf.Tensor2D[])) as tf.Tensor3D, target),
        )(offsets);
        return tf.stack(gradients, 1) as tf.Tensor3D; // [batch, time, hidden]
      });
    },
    inputGradients(input, target) {
      return tf.tidy(() => {
        const gradient = tf.grad((inputs: tf.Tensor) =>
          maskedTokenCrossEntropy(readout(unroll(inputs as tf.Tensor3D)) as tf.Tensor3D, target),
        );
        return gradient(vectors(input)) as tf.Tensor3D; // [batch, time, inputWidth]
      });
    },
    parameterCount: () => variables.scalarCount(),
    dispose: () => variables.dispose(),
  };
}

/** An N(0, 1/size) matrix rescaled so its spectral radius is exactly `radius` (row-major [size, size]). */
function scaledRecurrentMatrix(
  random: ReturnType<typeof createRandom>,
  size: number,
  radius: number,
): Float32Array {
  const values = drawNormal(random, size * size, 1 / Math.sqrt(size));
  const current = spectralRadius(values, size);
  return values.map((value) => (value * radius) / current);
}
