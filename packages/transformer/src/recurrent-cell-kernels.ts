/**
 * The pointwise part of one recurrent step (everything after the two matrix products) as one kernel with
 * a one-kernel gradient, for the cpu and wasm backends. Built from elementary tfjs ops, an LSTM step
 * costs ~13 kernels forward and ~60 backward, each paying the engine's fixed cost of several
 * microseconds on tiny tensors; fused, a step is a matrix product and one kernel each way. PyTorch's
 * equations and gate order; every sigmoid and tanh is a vectorized sigmoid pass on wasm
 * (`computeFloat32`'s), tanh taken as 2·σ(2x) − 1, the rest is JavaScript over float32 arrays.
 */
import {
  computeFloat32,
  type Float32KernelGradient,
  registerFloat32Kernel,
  runFloat32Kernel,
} from '@emerge/core';
import type { KernelFunc, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';

/** Kernel names: forward and gradient of each cell. */
export const CELL_KERNELS = {
  rnn: 'EmergeRnnCell',
  rnnGradient: 'EmergeRnnCellGrad',
  lstm: 'EmergeLstmCell',
  lstmGradient: 'EmergeLstmCellGrad',
  gru: 'EmergeGruCell',
  gruGradient: 'EmergeGruCellGrad',
} as const;

function infos(inputs: NamedTensorInfoMap, names: readonly string[]): TensorInfo[] {
  return names.map((name) => inputs[name] as TensorInfo);
}

/** Rows and hidden width of a [batch, hidden] tensor. */
function sides(x: TensorInfo): [number, number] {
  return [x.shape[0] as number, x.shape[1] as number];
}

/** tanh RNN: inputs projected, recurrent [B, H]; output h = tanh(projected + recurrent), as 2·σ(2x) − 1. */
const rnnCell: KernelFunc = ({ inputs, backend }) => {
  const [projected] = infos(inputs, ['projected']) as [TensorInfo];
  return computeFloat32(
    backend,
    infos(inputs, ['projected', 'recurrent']),
    [projected.shape],
    (values, outs, sigmoid) => {
      const [p, r] = values as [Float32Array, Float32Array];
      const h = outs[0] as Float32Array;
      for (let index = 0; index < h.length; index++)
        h[index] = 2 * ((p[index] as number) + (r[index] as number));
      sigmoid(h);
      for (let index = 0; index < h.length; index++) h[index] = 2 * (h[index] as number) - 1;
    },
  );
};

/** Gradient of {@link rnnCell}: inputs dHidden, hidden (the output); output d(pre-activation) = dh·(1 − h²). */
const rnnCellGradient: KernelFunc = ({ inputs, backend }) => {
  const [dHidden] = infos(inputs, ['dHidden']) as [TensorInfo];
  return computeFloat32(backend, infos(inputs, ['dHidden', 'hidden']), [dHidden.shape], (values, outs) => {
    const [dh, h] = values as [Float32Array, Float32Array];
    const out = outs[0] as Float32Array;
    for (let index = 0; index < out.length; index++) {
      const value = h[index] as number;
      out[index] = (dh[index] as number) * (1 - value * value);
    }
  });
};

/**
 * LSTM: inputs projected, recurrent [B, 4H] (gate blocks i, f, g, o) and cell [B, H]; outputs h, c [B, H]
 * and the activations [B, 5H] (i, f, g, o, tanh c per row) that the gradient reads. Every nonlinearity
 * is one vectorized sigmoid pass (tanh x = 2·σ(2x) − 1): one over the gates, one over 2c (in h).
 */
const lstmCell: KernelFunc = ({ inputs, backend }) => {
  const [batch, hidden] = sides(inputs.cell as TensorInfo);
  return computeFloat32(
    backend,
    infos(inputs, ['projected', 'recurrent', 'cell']),
    [
      [batch, hidden],
      [batch, hidden],
      [batch, 5 * hidden],
    ],
    (values, outs, sigmoid) => {
      const [p, r, cPrev] = values as [Float32Array, Float32Array, Float32Array];
      const [hOut, cOut, act] = outs as [Float32Array, Float32Array, Float32Array];
      for (let row = 0; row < batch; row++) {
        const gate = row * 4 * hidden;
        const saved = row * 5 * hidden;
        for (let column = 0; column < 4 * hidden; column++) {
          const pre = (p[gate + column] as number) + (r[gate + column] as number);
          act[saved + column] = column >= 2 * hidden && column < 3 * hidden ? 2 * pre : pre;
        }
        act.fill(0, saved + 4 * hidden, saved + 5 * hidden);
      }
      sigmoid(act);
      for (let row = 0; row < batch; row++) {
        const saved = row * 5 * hidden;
        for (let unit = 0; unit < hidden; unit++) {
          const at = row * hidden + unit;
          const candidate = 2 * (act[saved + 2 * hidden + unit] as number) - 1;
          act[saved + 2 * hidden + unit] = candidate;
          const input = act[saved + unit] as number;
          const forget = act[saved + hidden + unit] as number;
          cOut[at] = forget * (cPrev[at] as number) + input * candidate;
          hOut[at] = 2 * (cOut[at] as number);
        }
      }
      sigmoid(hOut);
      for (let row = 0; row < batch; row++) {
        const saved = row * 5 * hidden;
        for (let unit = 0; unit < hidden; unit++) {
          const at = row * hidden + unit;
          const squashed = 2 * (hOut[at] as number) - 1;
          act[saved + 4 * hidden + unit] = squashed;
          hOut[at] = (act[saved + 3 * hidden + unit] as number) * squashed;
        }
      }
    },
  );
};

/** Gradient of {@link lstmCell}: inputs dHidden, dCell, activations, cell (previous); outputs dGates [B, 4H], dCellPrevious [B, H]. */
const lstmCellGradient: KernelFunc = ({ inputs, backend }) => {
  const [batch, hidden] = sides(inputs.cell as TensorInfo);
  return computeFloat32(
    backend,
    infos(inputs, ['dHidden', 'dCell', 'activations', 'cell']),
    [
      [batch, 4 * hidden],
      [batch, hidden],
    ],
    (values, outs) => {
      const [dh, dc, act, cPrev] = values as [Float32Array, Float32Array, Float32Array, Float32Array];
      const [dGates, dCellPrev] = outs as [Float32Array, Float32Array];
      for (let row = 0; row < batch; row++) {
        const gate = row * 4 * hidden;
        const saved = row * 5 * hidden;
        for (let unit = 0; unit < hidden; unit++) {
          const at = row * hidden + unit;
          const input = act[saved + unit] as number;
          const forget = act[saved + hidden + unit] as number;
          const candidate = act[saved + 2 * hidden + unit] as number;
          const output = act[saved + 3 * hidden + unit] as number;
          const squashed = act[saved + 4 * hidden + unit] as number;
          const dOut = dh[at] as number;
          const dCellTotal = (dc[at] as number) + dOut * output * (1 - squashed * squashed);
          dGates[gate + unit] = dCellTotal * candidate * input * (1 - input);
          dGates[gate + hidden + unit] = dCellTotal * (cPrev[at] as number) * forget * (1 - forget);
          dGates[gate + 2 * hidden + unit] = dCellTotal * input * (1 - candidate * candidate);
          dGates[gate + 3 * hidden + unit] = dOut * squashed * output * (1 - output);
          dCellPrev[at] = dCellTotal * forget;
        }
      }
    },
  );
};

/**
 * GRU: inputs projected (x W_ih + b_ih), recurrent (h W_hh + b_hh) [B, 3H] (blocks r, z, n) and hidden
 * [B, H]; outputs h' [B, H] and the activations r, z, n [B, 3H]. Two vectorized sigmoid passes: r and z,
 * then 2·(x_n + r ⊙ h_n) in h' for n = tanh.
 */
const gruCell: KernelFunc = ({ inputs, backend }) => {
  const [batch, hidden] = sides(inputs.hidden as TensorInfo);
  return computeFloat32(
    backend,
    infos(inputs, ['projected', 'recurrent', 'hidden']),
    [
      [batch, hidden],
      [batch, 3 * hidden],
    ],
    (values, outs, sigmoid) => {
      const [p, r, hPrev] = values as [Float32Array, Float32Array, Float32Array];
      const [hOut, act] = outs as [Float32Array, Float32Array];
      for (let row = 0; row < batch; row++) {
        const gate = row * 3 * hidden;
        for (let column = 0; column < 2 * hidden; column++) {
          act[gate + column] = (p[gate + column] as number) + (r[gate + column] as number);
        }
        act.fill(0, gate + 2 * hidden, gate + 3 * hidden);
      }
      sigmoid(act);
      for (let row = 0; row < batch; row++) {
        const gate = row * 3 * hidden;
        for (let unit = 0; unit < hidden; unit++) {
          const fresh = gate + 2 * hidden + unit;
          hOut[row * hidden + unit] =
            2 * ((p[fresh] as number) + (act[gate + unit] as number) * (r[fresh] as number));
        }
      }
      sigmoid(hOut);
      for (let row = 0; row < batch; row++) {
        const gate = row * 3 * hidden;
        for (let unit = 0; unit < hidden; unit++) {
          const at = row * hidden + unit;
          const fresh = 2 * (hOut[at] as number) - 1;
          const keep = act[gate + hidden + unit] as number;
          act[gate + 2 * hidden + unit] = fresh;
          hOut[at] = (1 - keep) * fresh + keep * (hPrev[at] as number);
        }
      }
    },
  );
};

/**
 * Gradient of {@link gruCell}: inputs dHidden, activations, recurrent, hidden (previous); outputs
 * dProjected, dRecurrent [B, 3H] and the direct part of dHiddenPrevious (z ⊙ dh) [B, H].
 */
const gruCellGradient: KernelFunc = ({ inputs, backend }) => {
  const [batch, hidden] = sides(inputs.hidden as TensorInfo);
  return computeFloat32(
    backend,
    infos(inputs, ['dHidden', 'activations', 'recurrent', 'hidden']),
    [
      [batch, 3 * hidden],
      [batch, 3 * hidden],
      [batch, hidden],
    ],
    (values, outs) => {
      const [dh, act, r, hPrev] = values as [Float32Array, Float32Array, Float32Array, Float32Array];
      const [dProjected, dRecurrent, dHiddenPrev] = outs as [Float32Array, Float32Array, Float32Array];
      for (let row = 0; row < batch; row++) {
        const gate = row * 3 * hidden;
        for (let unit = 0; unit < hidden; unit++) {
          const at = row * hidden + unit;
          const reset = act[gate + unit] as number;
          const keep = act[gate + hidden + unit] as number;
          const fresh = act[gate + 2 * hidden + unit] as number;
          const dOut = dh[at] as number;
          const dFreshPre = dOut * (1 - keep) * (1 - fresh * fresh);
          const dResetPre = dFreshPre * (r[gate + 2 * hidden + unit] as number) * reset * (1 - reset);
          const dKeepPre = dOut * ((hPrev[at] as number) - fresh) * keep * (1 - keep);
          dProjected[gate + unit] = dResetPre;
          dRecurrent[gate + unit] = dResetPre;
          dProjected[gate + hidden + unit] = dKeepPre;
          dRecurrent[gate + hidden + unit] = dKeepPre;
          dProjected[gate + 2 * hidden + unit] = dFreshPre;
          dRecurrent[gate + 2 * hidden + unit] = dFreshPre * reset;
          dHiddenPrev[at] = dOut * keep;
        }
      }
    },
  );
};

/** Each cell's gradient, by cell: one gradient kernel, whose outputs go to the inputs. */
const gradients: Record<'rnn' | 'lstm' | 'gru', Float32KernelGradient> = {
  rnn: {
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [dPre] = runFloat32Kernel(CELL_KERNELS.rnnGradient, {
        dHidden: dy as tf.Tensor,
        hidden: saved[0] as tf.Tensor,
      });
      return { projected: () => dPre as tf.Tensor, recurrent: () => tf.clone(dPre as tf.Tensor) };
    },
  },
  lstm: {
    inputsToSave: ['cell'],
    outputsToSave: [false, false, true],
    gradFunc: (dy, saved) => {
      const [dHidden, dCell] = dy as tf.Tensor[];
      const [cell, activations] = saved as tf.Tensor[];
      const [dGates, dCellPrevious] = runFloat32Kernel(CELL_KERNELS.lstmGradient, {
        dHidden: dHidden as tf.Tensor,
        dCell: dCell as tf.Tensor,
        activations: activations as tf.Tensor,
        cell: cell as tf.Tensor,
      });
      return {
        projected: () => dGates as tf.Tensor,
        recurrent: () => tf.clone(dGates as tf.Tensor),
        cell: () => dCellPrevious as tf.Tensor,
      };
    },
  },
  gru: {
    inputsToSave: ['recurrent', 'hidden'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved) => {
      const [recurrent, hidden, activations] = saved as tf.Tensor[];
      const [dProjected, dRecurrent, dHidden] = runFloat32Kernel(CELL_KERNELS.gruGradient, {
        dHidden: (dy as tf.Tensor[])[0] as tf.Tensor,
        activations: activations as tf.Tensor,
        recurrent: recurrent as tf.Tensor,
        hidden: hidden as tf.Tensor,
      });
      return {
        projected: () => dProjected as tf.Tensor,
        recurrent: () => dRecurrent as tf.Tensor,
        hidden: () => dHidden as tf.Tensor,
      };
    },
  },
};

/** Registers the cell kernels (cpu and wasm) and their gradients; later calls change nothing. */
export function registerCellKernels(): void {
  registerFloat32Kernel(CELL_KERNELS.rnn, rnnCell, gradients.rnn);
  registerFloat32Kernel(CELL_KERNELS.rnnGradient, rnnCellGradient);
  registerFloat32Kernel(CELL_KERNELS.lstm, lstmCell, gradients.lstm);
  registerFloat32Kernel(CELL_KERNELS.lstmGradient, lstmCellGradient);
  registerFloat32Kernel(CELL_KERNELS.gru, gruCell, gradients.gru);
  registerFloat32Kernel(CELL_KERNELS.gruGradient, gruCellGradient);
}

/** Runs a cell's forward kernel. */
export function runCell(cell: 'rnn' | 'lstm' | 'gru', inputs: tf.NamedTensorMap): tf.Tensor[] {
  return runFloat32Kernel(CELL_KERNELS[cell], inputs);
}
