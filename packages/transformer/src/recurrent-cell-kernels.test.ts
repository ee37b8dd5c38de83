import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRecurrent, type RecurrentCell } from './recurrent.js';
import { expectClose, expectNoLeak } from './test-helpers.js';

const cells: RecurrentCell[] = ['rnn', 'lstm', 'gru'];
/** Most kernels a fused training step may run, as a share of the elementary ops' count (measured: 71%, 34%, 31%). */
const kernelShare: Record<RecurrentCell, number> = { rnn: 0.8, lstm: 0.4, gru: 0.4 };

function model(cell: RecurrentCell, fusedCells: boolean) {
  return createRecurrent({ cell, vocabSize: 7, hiddenSize: 5, outputSize: 4, seed: 3, fusedCells });
}

const input = () =>
  tf.tensor2d(
    [
      [1, 4, 0, 6, 2, 2, 5],
      [3, 3, 1, 0, 6, 4, 1],
    ],
    [2, 7],
    'int32',
  );
const target = () =>
  tf.tensor2d(
    [
      [-1, 2, -1, 0, 3, 1, 2],
      [0, -1, 3, 3, -1, 2, 1],
    ],
    [2, 7],
    'int32',
  );

/** Loss, every variable's gradient, dLoss/dh_t and dLoss/dx_t of one model, flattened in a fixed order. */
function everything(cell: RecurrentCell, fusedCells: boolean): number[] {
  const recurrent = model(cell, fusedCells);
  const [x, y] = [input(), target()];
  const values = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => recurrent.loss(x, y) as tf.Scalar);
    return [
      ...value.dataSync(),
      ...[...recurrent.variables.values()].flatMap((variable) =>
        Array.from((grads[variable.name] as tf.Tensor).dataSync()),
      ),
      ...recurrent.hiddenStateGradients(x, y).dataSync(),
      ...recurrent.inputGradients(x, y).dataSync(),
    ];
  });
  tf.dispose([x, y]);
  recurrent.dispose();
  return values;
}

describe('fused recurrent cells', () => {
  for (const backend of ['cpu', 'wasm']) {
    for (const cell of cells) {
      it(`${cell}: loss and every gradient equal tfjs' autodiff of the elementary ops on ${backend}`, async () => {
        await tf.setBackend(backend);
        const fused = everything(cell, true);
        const reference = everything(cell, false);
        expect(fused.length).toBe(reference.length);
        expect(fused.some((value) => value !== 0)).toBe(true);
        expectClose(fused, reference, 2e-6);
      });
    }
  }

  for (const cell of cells) {
    it(`${cell}: a training step runs at most ${kernelShare[cell] * 100}% of the elementary ops' kernels`, async () => {
      await tf.setBackend('wasm');
      const counts: number[] = [];
      for (const fusedCells of [true, false]) {
        const recurrent = model(cell, fusedCells);
        const [x, y] = [input(), target()];
        const profile = await tf.profile(() =>
          tf.tidy(() => tf.variableGrads(() => recurrent.loss(x, y) as tf.Scalar).value),
        );
        tf.dispose([x, y]);
        recurrent.dispose();
        counts.push(profile.kernels.length);
      }
      const [fusedCount, elementaryCount] = counts as [number, number];
      expect(fusedCount).toBeLessThanOrEqual(kernelShare[cell] * elementaryCount);
    });

    it(`${cell}: leaks no tensor through a training step`, async () => {
      await tf.setBackend('wasm');
      const recurrent = model(cell, true);
      const [x, y] = [input(), target()];
      tf.variableGrads(() => recurrent.loss(x, y) as tf.Scalar); // the first call registers the kernels
      expectNoLeak(() => {
        const { value, grads } = tf.variableGrads(() => recurrent.loss(x, y) as tf.Scalar);
        return [value, ...Object.values(grads)];
      });
      tf.dispose([x, y]);
      recurrent.dispose();
    });
  }
});
