import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLinearReadout } from './linear-readout.js';
import { createRandomFeatures } from './random-features.js';
import { expectClose, expectNoLeak, useCpu } from './test-helpers.js';

beforeAll(useCpu);

/** Solves the small dense system M z = r by Gaussian elimination with partial pivoting (float64). */
function solve(matrix: number[][], rhs: number[]): number[] {
  const size = rhs.length;
  const rows = matrix.map((row, index) => [...row, rhs[index] as number]);
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let row = column + 1; row < size; row++) {
      if (Math.abs(rows[row]?.[column] ?? 0) > Math.abs(rows[pivot]?.[column] ?? 0)) pivot = row;
    }
    [rows[column], rows[pivot]] = [rows[pivot] as number[], rows[column] as number[]];
    const head = rows[column] as number[];
    for (let row = column + 1; row < size; row++) {
      const current = rows[row] as number[];
      const factor = (current[column] as number) / (head[column] as number);
      for (let index = column; index <= size; index++)
        current[index] = (current[index] as number) - factor * (head[index] as number);
    }
  }
  const solution = new Array<number>(size).fill(0);
  for (let row = size - 1; row >= 0; row--) {
    const current = rows[row] as number[];
    let sum = current[size] as number;
    for (let index = row + 1; index < size; index++)
      sum -= (current[index] as number) * (solution[index] as number);
    solution[row] = sum / (current[row] as number);
  }
  return solution;
}

describe('createLinearReadout', () => {
  it('starts at zero and counts featureCount x outputSize parameters', () => {
    const features = createRandomFeatures({ inputSize: 2, featureCount: 10, seed: 1 });
    const model = createLinearReadout({ features, featureCount: 6, outputSize: 3 });
    expect(model.parameterCount()).toBe(18);
    expect([...model.variables.keys()]).toEqual(['readout.weight']);
    const output = tf.tidy(() => model.forward(tf.ones([2, 2])).dataSync());
    expect(Array.from(output)).toEqual(new Array(6).fill(0));
    model.dispose();
    features.dispose();
  });

  it('trained by gradient descent from zero, converges to the minimum-norm least-squares solution', () => {
    const features = createRandomFeatures({ inputSize: 1, featureCount: 40, weightStd: 3, seed: 2 });
    const model = createLinearReadout({ features, outputSize: 1 });
    const inputs = tf.tensor2d([[-1.5], [-0.5], [0.5], [1.5]]);
    const targets = tf.tensor2d([[1], [-1], [0.5], [2]]);
    const phi = features.transform(inputs).arraySync();
    // Minimum-norm solution A = Φᵀ (Φ Φᵀ)⁻¹ y, computed independently in float64.
    const gram = phi.map((left) =>
      phi.map((right) => left.reduce((sum, value, index) => sum + value * (right[index] ?? 0), 0)),
    );
    const dual = solve(gram, [1, -1, 0.5, 2]);
    const minimumNorm = (phi[0] ?? []).map((_, feature) =>
      phi.reduce((sum, row, example) => sum + (row[feature] ?? 0) * (dual[example] ?? 0), 0),
    );
    const trace = gram.reduce((sum, row, index) => sum + (row[index] ?? 0), 0);
    // The loss's Hessian is ΦᵀΦ / 2 (mean over 4 examples), whose top eigenvalue is below trace / 2.
    const optimizer = tf.train.sgd(1.8 / trace);
    for (let step = 0; step < 3000; step++) {
      optimizer.minimize(() => model.loss(inputs, targets));
    }
    const learned = model.variables.get('readout.weight')?.dataSync() ?? new Float32Array();
    expectClose(learned, minimumNorm, 2e-3);
    tf.dispose([inputs, targets]);
    optimizer.dispose();
    model.dispose();
    features.dispose();
  });

  it('does not leak tensors in forward, loss and gradients', () => {
    const features = createRandomFeatures({ inputSize: 2, featureCount: 5, seed: 1 });
    const model = createLinearReadout({ features, outputSize: 2, loss: 'cross-entropy' });
    const input = tf.ones([3, 2]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 1, 1], 'int32');
    expectNoLeak(() => model.forward(input));
    expectNoLeak(() => model.loss(input, labels));
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => model.loss(input, labels));
      return [value, ...Object.values(grads)];
    });
    tf.dispose([input, labels]);
    model.dispose();
    features.dispose();
  });

  it('rejects a feature count beyond the draw and a bad loss', () => {
    const features = createRandomFeatures({ inputSize: 2, featureCount: 5, seed: 1 });
    expect(() => createLinearReadout({ features, featureCount: 6, outputSize: 1 })).toThrow(/featureCount/);
    expect(() => createLinearReadout({ features, outputSize: 1, loss: 'hinge' as 'squared' })).toThrow(
      /loss/,
    );
    features.dispose();
  });
});
