import * as tf from '@tensorflow/tfjs';

/** Hidden-layer nonlinearities of the MLP. */
export const ACTIVATIONS = ['relu', 'gelu', 'quadratic', 'tanh'] as const;

/** One of {@link ACTIVATIONS}: `gelu` is the exact erf form (PyTorch's `nn.GELU()` default), `quadratic` is x². */
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * Applies an activation elementwise.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { activate } from '@emerge/transformer';
 *
 * const hidden = activate('relu', tf.tensor1d([-1, 0, 2]));
 * hidden.arraySync(); // => [0, 0, 2]
 * console.assert(hidden.arraySync().join() === '0,0,2');
 * ```
 */
export function activate<T extends tf.Tensor>(activation: Activation, input: T): T {
  switch (activation) {
    case 'relu':
      return tf.relu(input);
    case 'tanh':
      return tf.tanh(input);
    case 'quadratic':
      return tf.square(input);
    case 'gelu':
      return gelu(input);
  }
}

/**
 * GELU, x·Φ(x) = x/2 · (1 + erf(x/√2)); erf has kernels and a gradient on cpu and wasm.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { gelu } from '@emerge/transformer';
 *
 * gelu(tf.tensor1d([0, 1])).arraySync(); // => [0, 0.841]
 * console.assert(Math.abs(gelu(tf.tensor1d([1])).arraySync()[0]! - 0.8413) < 1e-3);
 * ```
 */
export function gelu<T extends tf.Tensor>(input: T): T {
  return tf.tidy(() => tf.mul(tf.mul(input, 0.5), tf.add(1, tf.erf(tf.mul(input, Math.SQRT1_2))))) as T;
}
