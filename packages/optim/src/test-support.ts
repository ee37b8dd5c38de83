/**
 * Helpers shared by the tests of this package (not exported from the package).
 */
import * as tf from '@tensorflow/tfjs';

/** Selects the deterministic `cpu` backend once per test file. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A map of named variables from plain arrays. */
export function variablesOf(values: Record<string, number[] | number[][]>): Map<string, tf.Variable> {
  return new Map(Object.entries(values).map(([name, value]) => [name, tf.variable(tf.tensor(value))]));
}

/** A map of gradient tensors from plain arrays. */
export function gradientsOf(values: Record<string, number[] | number[][]>): Map<string, tf.Tensor> {
  return new Map(Object.entries(values).map(([name, value]) => [name, tf.tensor(value)]));
}

/** The flattened current values of a variable. */
export function valuesOf(variables: ReadonlyMap<string, tf.Variable>, name: string): number[] {
  return Array.from((variables.get(name) as tf.Variable).dataSync());
}

/** Disposes every tensor of a map. */
export function disposeAll(tensors: ReadonlyMap<string, tf.Tensor>): void {
  for (const tensor of tensors.values()) tensor.dispose();
}

/**
 * A small tanh (or ReLU) MLP with softmax cross-entropy, twice: as tfjs variables and loss, and as a float64
 * plain-JS loss with an analytic gradient, both over the same flat parameter order (w1, b1, w2, b2,
 * row-major). The float64 side gives exact Hessians, independent of tfjs.
 */
export interface SmallMlp {
  variables: Map<string, tf.Variable>;
  loss: () => tf.Scalar;
  /** Float64 analytic gradient at flat parameters. */
  gradientAt(theta: Float64Array): Float64Array;
  /** Float64 loss at flat parameters. */
  lossAt(theta: Float64Array): number;
  /** The flat parameters the variables were created with (float32-rounded). */
  theta: Float64Array;
  dispose(): void;
}

export function createSmallMlp(
  seed: number,
  sizes = { inputs: 3, hidden: 4, classes: 3, examples: 16 },
  weightScale = 0.8,
  activation: 'tanh' | 'relu' = 'tanh',
): SmallMlp {
  const { inputs, hidden, classes, examples } = sizes;
  let state = seed * 2654435761 + 1;
  // A tiny LCG keeps this helper independent of the code under test.
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const symmetric = () => (2 * uniform() - 1) * weightScale;
  const x = Float64Array.from({ length: examples * inputs }, () => Math.fround(2 * uniform() - 1));
  const labels = Array.from({ length: examples }, () => Math.floor(uniform() * classes));
  const shapes: [string, number[]][] = [
    ['w1', [inputs, hidden]],
    ['b1', [hidden]],
    ['w2', [hidden, classes]],
    ['b2', [classes]],
  ];
  const size = inputs * hidden + hidden + hidden * classes + classes;
  const theta = Float64Array.from({ length: size }, () => Math.fround(symmetric()));
  const variables = new Map<string, tf.Variable>();
  let offset = 0;
  for (const [name, shape] of shapes) {
    const count = shape.reduce((product, dimension) => product * dimension, 1);
    variables.set(
      name,
      tf.variable(tf.tensor(Float32Array.from(theta.subarray(offset, offset + count)), shape)),
    );
    offset += count;
  }
  const inputTensor = tf.tensor2d(Float32Array.from(x), [examples, inputs]);
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), classes);
  const loss = (): tf.Scalar =>
    tf.tidy(() => {
      const preActivation = tf.add(tf.matMul(inputTensor, variables.get('w1')!), variables.get('b1')!);
      const hiddenLayer = activation === 'tanh' ? tf.tanh(preActivation) : tf.relu(preActivation);
      const logits = tf.add(tf.matMul(hiddenLayer, variables.get('w2')!), variables.get('b2')!);
      return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
    });

  const split = (parameters: Float64Array) => {
    const w1 = parameters.subarray(0, inputs * hidden);
    const b1 = parameters.subarray(inputs * hidden, inputs * hidden + hidden);
    const start = inputs * hidden + hidden;
    const w2 = parameters.subarray(start, start + hidden * classes);
    const b2 = parameters.subarray(start + hidden * classes);
    return { w1, b1, w2, b2 };
  };
  /** Forward pass in float64: hidden activations and softmax probabilities per example, and the loss. */
  const forward = (parameters: Float64Array) => {
    const { w1, b1, w2, b2 } = split(parameters);
    const activations = new Float64Array(examples * hidden);
    const probabilities = new Float64Array(examples * classes);
    let total = 0;
    for (let n = 0; n < examples; n++) {
      for (let j = 0; j < hidden; j++) {
        let sum = b1[j] as number;
        for (let i = 0; i < inputs; i++)
          sum += (x[n * inputs + i] as number) * (w1[i * hidden + j] as number);
        activations[n * hidden + j] = activation === 'tanh' ? Math.tanh(sum) : Math.max(sum, 0);
      }
      const logits = Array.from({ length: classes }, (_, c) => {
        let sum = b2[c] as number;
        for (let j = 0; j < hidden; j++)
          sum += (activations[n * hidden + j] as number) * (w2[j * classes + c] as number);
        return sum;
      });
      const largest = Math.max(...logits);
      const normalizer = logits.reduce((sum, logit) => sum + Math.exp(logit - largest), 0);
      logits.forEach((logit, c) => {
        probabilities[n * classes + c] = Math.exp(logit - largest) / normalizer;
      });
      total += -((logits[labels[n] as number] as number) - largest - Math.log(normalizer));
    }
    return { activations, probabilities, loss: total / examples };
  };
  const gradientAt = (parameters: Float64Array): Float64Array => {
    const { w2 } = split(parameters);
    const { activations, probabilities } = forward(parameters);
    const gradient = new Float64Array(size);
    const { w1: gw1, b1: gb1, w2: gw2, b2: gb2 } = split(gradient);
    for (let n = 0; n < examples; n++) {
      const dLogits = Array.from(
        { length: classes },
        (_, c) => ((probabilities[n * classes + c] as number) - (c === labels[n] ? 1 : 0)) / examples,
      );
      for (let c = 0; c < classes; c++) gb2[c] = (gb2[c] as number) + (dLogits[c] as number);
      for (let j = 0; j < hidden; j++) {
        const value = activations[n * hidden + j] as number;
        let dActivation = 0;
        for (let c = 0; c < classes; c++) {
          gw2[j * classes + c] = (gw2[j * classes + c] as number) + value * (dLogits[c] as number);
          dActivation += (w2[j * classes + c] as number) * (dLogits[c] as number);
        }
        const slope = activation === 'tanh' ? 1 - value * value : value > 0 ? 1 : 0;
        const dPre = dActivation * slope;
        gb1[j] = (gb1[j] as number) + dPre;
        for (let i = 0; i < inputs; i++)
          gw1[i * hidden + j] = (gw1[i * hidden + j] as number) + (x[n * inputs + i] as number) * dPre;
      }
    }
    return gradient;
  };
  return {
    variables,
    loss,
    gradientAt,
    lossAt: (parameters) => forward(parameters).loss,
    theta,
    dispose() {
      disposeAll(variables);
      inputTensor.dispose();
      oneHot.dispose();
    },
  };
}

/**
 * The exact Hessian (row-major, float64) of a function with an analytic gradient, by central
 * differences. For ReLU networks use a tiny step (1e-8) so that no pre-activation crosses zero.
 */
export function exactHessian(
  gradientAt: (theta: Float64Array) => Float64Array,
  theta: Float64Array,
  step = 1e-5,
): Float64Array {
  const size = theta.length;
  const hessian = new Float64Array(size * size);
  for (let column = 0; column < size; column++) {
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    plus[column] = (plus[column] as number) + step;
    minus[column] = (minus[column] as number) - step;
    const gradientPlus = gradientAt(plus);
    const gradientMinus = gradientAt(minus);
    for (let row = 0; row < size; row++) {
      hessian[row * size + column] =
        ((gradientPlus[row] as number) - (gradientMinus[row] as number)) / (2 * step);
    }
  }
  // Symmetrize away the O(step^2) asymmetry.
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < row; column++) {
      const mean = ((hessian[row * size + column] as number) + (hessian[column * size + row] as number)) / 2;
      hessian[row * size + column] = mean;
      hessian[column * size + row] = mean;
    }
  }
  return hessian;
}

/** `matrix * vector` for a square row-major float64 matrix. */
export function multiplyMatrix(matrix: Float64Array, vector: Float64Array): Float64Array {
  const size = vector.length;
  const result = new Float64Array(size);
  for (let row = 0; row < size; row++) {
    let sum = 0;
    for (let column = 0; column < size; column++)
      sum += (matrix[row * size + column] as number) * (vector[column] as number);
    result[row] = sum;
  }
  return result;
}

/** A float64 symmetric matrix with a given spectrum, `Q diag(spectrum) Q^T` for a random orthogonal Q. */
export function matrixWithSpectrum(spectrum: readonly number[], seed: number): Float64Array {
  const size = spectrum.length;
  // Gram-Schmidt on a deterministic pseudo-random matrix gives Q (rows are the eigenvectors).
  let state = seed + 12345;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296 - 0.5;
  };
  const rows: Float64Array[] = [];
  for (let index = 0; index < size; index++) {
    const row = Float64Array.from({ length: size }, uniform);
    for (let pass = 0; pass < 2; pass++) {
      for (const previous of rows) {
        let projection = 0;
        for (let k = 0; k < size; k++) projection += (row[k] as number) * (previous[k] as number);
        for (let k = 0; k < size; k++) row[k] = (row[k] as number) - projection * (previous[k] as number);
      }
    }
    const length = Math.hypot(...row);
    rows.push(row.map((value) => value / length));
  }
  const matrix = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let sum = 0;
      for (let k = 0; k < size; k++)
        sum += (rows[k]![i] as number) * (spectrum[k] as number) * (rows[k]![j] as number);
      matrix[i * size + j] = sum;
    }
  }
  return matrix;
}

/** A float64 matrix as a linear operator that counts its products. */
export function matrixOperator(matrix: Float64Array, size: number) {
  const operator = {
    dimension: size,
    products: 0,
    multiply(vector: Float64Array) {
      operator.products++;
      return multiplyMatrix(matrix, vector);
    },
  };
  return operator;
}

/** A quadratic loss `0.5 theta^T A theta` over one tfjs variable, with its float64 matrix. */
export function createQuadratic(spectrum: readonly number[], seed: number) {
  const size = spectrum.length;
  const matrix = matrixWithSpectrum(spectrum, seed);
  const matrixTensor = tf.tensor2d(Float32Array.from(matrix), [size, size]);
  const variables = new Map([
    ['theta', tf.variable(tf.tensor1d(Array.from({ length: size }, (_, i) => Math.sin(i + seed))))],
  ]);
  const loss = (): tf.Scalar =>
    tf.tidy(() => {
      const theta = variables.get('theta')!;
      return tf.mul(
        tf.sum(tf.mul(theta, tf.squeeze(tf.matMul(matrixTensor, tf.reshape(theta, [size, 1]))))),
        0.5,
      ) as tf.Scalar;
    });
  return {
    variables,
    loss,
    matrix,
    dispose() {
      disposeAll(variables);
      matrixTensor.dispose();
    },
  };
}
