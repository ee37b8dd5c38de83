import type * as tf from '@tensorflow/tfjs';

/**
 * The one interface every trainable model of emerge-figures implements: named variables, a forward
 * pass and a scalar loss. `@emerge/optim` trains and measures anything that satisfies it, so it never
 * imports a concrete model; `@emerge/transformer` provides the implementations.
 */
export interface Model<Input = tf.Tensor, Target = tf.Tensor, Output = tf.Tensor> {
  /** A short human-readable name, e.g. `transformer-d32-l2`. */
  readonly name: string;
  /** Trainable variables by stable name (the names are the keys of saved weights). */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** The model's output for a batch; must be called inside `tf.tidy` or have its result disposed. */
  forward(input: Input, options?: ForwardOptions): Output;
  /** The mean training loss of a batch as a scalar tensor. */
  loss(input: Input, target: Target, options?: ForwardOptions): tf.Scalar;
  /** Number of trainable scalars. */
  parameterCount(): number;
  /** Frees every variable the model owns. */
  dispose(): void;
}

/** Options of a forward pass. */
export interface ForwardOptions {
  /** Whether the pass is for training (enables dropout where a model has it). Default: `false`. */
  training?: boolean;
}
