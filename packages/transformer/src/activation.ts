import * as tf from '@tensorflow/tfjs';

/** Hidden-layer nonlinearities of the MLP. */
export const ACTIVATIONS = ['relu', 'gelu', 'quadratic', 'tanh'] as const;

/** One of {@link ACTIVATIONS}: `gelu` is the exact erf form (PyTorch's `nn.GELU()` default), `quadratic` is x². */
export type Activation = (typeof ACTIVATIONS)[number];

/**
 * Applies an activation elementwise.
 * @example
 * ```ts
 * const hidden = activate('gelu', preActivation);
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

/** GELU, x·Φ(x) = x/2 · (1 + erf(x/√2)); erf has kernels and a gradient on cpu and wasm. */
export function gelu<T extends tf.Tensor>(input: T): T {
  return tf.tidy(() => tf.mul(tf.mul(input, 0.5), tf.add(1, tf.erf(tf.mul(input, Math.SQRT1_2))))) as T;
}
