import type { Random } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { type Activation, activate } from './activation.js';
import { drawNormal, drawUniform } from './initializers.js';

/**
 * Initial weights of a dense layer: `he-normal` draws W ~ N(0, 2/fanIn) with zero bias (He et al.
 * 2015, for ReLU-like units); `glorot-uniform` draws W ~ U(±sqrt(6/(fanIn + fanOut))) with zero bias
 * (Glorot & Bengio 2010); `torch-linear` draws W and b ~ U(±1/sqrt(fanIn)), PyTorch's `nn.Linear`
 * default, to match reference runs made with PyTorch.
 */
export const DENSE_INITS = ['he-normal', 'glorot-uniform', 'torch-linear'] as const;

/** One of {@link DENSE_INITS}. */
export type DenseInit = (typeof DENSE_INITS)[number];

/** Weight values (row-major [fanIn, fanOut]) and bias values ([fanOut]) of one dense layer. */
export interface DenseValues {
  weight: Float32Array;
  bias: Float32Array;
}

/** Draws a dense layer's initial values; the weight comes from `random.fork('weight')`, the bias from `fork('bias')`. */
export function drawDense(random: Random, fanIn: number, fanOut: number, init: DenseInit): DenseValues {
  const count = fanIn * fanOut;
  switch (init) {
    case 'he-normal':
      return {
        weight: drawNormal(random.fork('weight'), count, Math.sqrt(2 / fanIn)),
        bias: new Float32Array(fanOut),
      };
    case 'glorot-uniform': {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      return {
        weight: drawUniform(random.fork('weight'), count, -bound, bound),
        bias: new Float32Array(fanOut),
      };
    }
    case 'torch-linear': {
      const bound = 1 / Math.sqrt(fanIn);
      return {
        weight: drawUniform(random.fork('weight'), count, -bound, bound),
        bias: drawUniform(random.fork('bias'), fanOut, -bound, bound),
      };
    }
  }
}

/** The tensors of one dense layer: weight [..., fanIn, fanOut], bias broadcastable to the output. */
export interface DenseLayer {
  weight: tf.Tensor;
  bias: tf.Tensor;
}

/**
 * x → activation(x W + b) through every layer, with no activation after the last. Works for one model
 * (x [batch, in], W [in, out]) and for a stacked ensemble (x [members, batch, in], W [members, in, out]).
 */
export function denseStack(
  input: tf.Tensor,
  layers: readonly DenseLayer[],
  activation: Activation,
): tf.Tensor {
  return tf.tidy(() => {
    let hidden = input;
    layers.forEach((layer, index) => {
      hidden = tf.add(tf.matMul(hidden, layer.weight), layer.bias);
      if (index < layers.length - 1) hidden = activate(activation, hidden);
    });
    return hidden;
  });
}
