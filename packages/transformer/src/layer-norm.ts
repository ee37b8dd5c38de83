/**
 * LayerNorm over the last axis as one kernel with a one-kernel gradient on cpu and wasm. Composed of
 * tfjs ops it costs ~10 kernels forward and ~30 backward (the moments, every broadcast and its
 * reducing gradient), each paying the engine's fixed cost; a small Transformer's step runs five of
 * them, about a quarter of its kernels.
 */
import {
  computeFloat32,
  type Float32KernelGradient,
  hasFloat32Kernel,
  registerFloat32Kernel,
  runFloat32Kernel,
  wasmModuleOnHeap,
} from '@emerge/core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { layerNormModuleBase64 } from './layer-norm-module.js';

/** Kernel names: LayerNorm and its gradient. */
export const LAYER_NORM_KERNELS = { layerNorm: 'EmergeLayerNorm', gradient: 'EmergeLayerNormGrad' } as const;

/** The exports of layer-norm.wat; its functions take byte addresses in the wasm backend's heap. */
interface LayerNormModule {
  layerNorm(
    x: number,
    weight: number,
    bias: number,
    y: number,
    stats: number,
    rows: number,
    width: number,
    epsilon: number,
  ): void;
  layerNormGradient(
    dy: number,
    x: number,
    weight: number,
    stats: number,
    dx: number,
    dWeight: number,
    dBias: number,
    rows: number,
    width: number,
  ): void;
}

/**
 * layer-norm.wat on the wasm backend's heap, or `undefined` on cpu or where it cannot run. Its
 * arithmetic is the JavaScript below, operation for operation, so either gives the same bits.
 */
function layerNormModule(heap: WebAssembly.Memory | undefined): LayerNormModule | undefined {
  return heap === undefined
    ? undefined
    : (wasmModuleOnHeap(layerNormModuleBase64, heap) as unknown as LayerNormModule | undefined);
}

/** Width of the normalized (last) axis and the number of rows before it. */
function rowsAndWidth(x: TensorInfo): [number, number] {
  const width = x.shape[x.shape.length - 1] as number;
  return [tf.util.sizeFromShape(x.shape) / width, width];
}

/**
 * Inputs x [..., C], weight and bias [C]; attribute epsilon. Outputs y = (x − mean)/√(variance + ε)·weight
 * + bias (x's shape) and each row's mean and 1/√(variance + ε) ([rows, 2]) for the gradient. Row
 * statistics are accumulated in float64.
 */
const layerNormKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const [rows, width] = rowsAndWidth(x);
  const epsilon = (attrs as { epsilon: number }).epsilon;
  const operands = [x, inputs.weight as TensorInfo, inputs.bias as TensorInfo];
  return computeFloat32(backend, operands, [x.shape, [rows, 2]], (values, outs, _sigmoid, heap) => {
    const [input, scale, shift] = values as [Float32Array, Float32Array, Float32Array];
    const [y, statistics] = outs as [Float32Array, Float32Array];
    const module = layerNormModule(heap);
    if (module !== undefined) {
      const at = (array: Float32Array) => array.byteOffset;
      module.layerNorm(at(input), at(scale), at(shift), at(y), at(statistics), rows, width, epsilon);
      return;
    }
    for (let row = 0; row < rows; row++) {
      const start = row * width;
      let sum = 0;
      for (let column = 0; column < width; column++) sum += input[start + column] as number;
      const mean = sum / width;
      let squares = 0;
      for (let column = 0; column < width; column++) {
        const centered = (input[start + column] as number) - mean;
        squares += centered * centered;
      }
      const inverseDeviation = 1 / Math.sqrt(squares / width + epsilon);
      for (let column = 0; column < width; column++) {
        const normalized = ((input[start + column] as number) - mean) * inverseDeviation;
        y[start + column] = normalized * (scale[column] as number) + (shift[column] as number);
      }
      statistics[2 * row] = mean;
      statistics[2 * row + 1] = inverseDeviation;
    }
  });
};

/**
 * Gradient of {@link layerNormKernel}: inputs dy, x, weight and the row statistics; outputs dx, dweight,
 * dbias. With x̂ the normalized row, g = dy·weight and r = 1/√(variance + ε):
 * dx = r·(g − mean(g) − x̂·mean(g·x̂)), dweight = Σ_rows dy·x̂, dbias = Σ_rows dy.
 */
const layerNormGradientKernel: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  const [rows, width] = rowsAndWidth(x);
  const operands = ['dy', 'x', 'weight', 'stats'].map((name) => inputs[name] as TensorInfo);
  return computeFloat32(backend, operands, [x.shape, [width], [width]], (values, outs, _sigmoid, heap) => {
    const [dy, input, scale, statistics] = values as [Float32Array, Float32Array, Float32Array, Float32Array];
    const [dx, dScale, dShift] = outs as [Float32Array, Float32Array, Float32Array];
    const module = layerNormModule(heap);
    if (module !== undefined) {
      const at = (array: Float32Array) => array.byteOffset;
      module.layerNormGradient(
        at(dy),
        at(input),
        at(scale),
        at(statistics),
        at(dx),
        at(dScale),
        at(dShift),
        rows,
        width,
      );
      return;
    }
    const scaleSums = new Float64Array(width);
    const shiftSums = new Float64Array(width);
    for (let row = 0; row < rows; row++) {
      const start = row * width;
      const mean = statistics[2 * row] as number;
      const inverseDeviation = statistics[2 * row + 1] as number;
      let gradientSum = 0;
      let projection = 0;
      for (let column = 0; column < width; column++) {
        const upstream = dy[start + column] as number;
        const normalized = ((input[start + column] as number) - mean) * inverseDeviation;
        const scaled = upstream * (scale[column] as number);
        gradientSum += scaled;
        projection += scaled * normalized;
        scaleSums[column] = (scaleSums[column] as number) + upstream * normalized;
        shiftSums[column] = (shiftSums[column] as number) + upstream;
      }
      const meanGradient = gradientSum / width;
      const meanProjection = projection / width;
      for (let column = 0; column < width; column++) {
        const normalized = ((input[start + column] as number) - mean) * inverseDeviation;
        const scaled = (dy[start + column] as number) * (scale[column] as number);
        dx[start + column] = inverseDeviation * (scaled - meanGradient - normalized * meanProjection);
      }
    }
    dScale.set(scaleSums);
    dShift.set(shiftSums);
  });
};

const layerNormGradient: Float32KernelGradient = {
  inputsToSave: ['x', 'weight'],
  outputsToSave: [false, true],
  gradFunc: (dy, saved) => {
    const [x, weight, stats] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
    // The statistics are an internal output: only y's gradient flows back.
    const upstream = (dy as tf.Tensor[])[0] as tf.Tensor;
    const [dx, dWeight, dBias] = runFloat32Kernel(LAYER_NORM_KERNELS.gradient, {
      dy: upstream,
      x,
      weight,
      stats,
    });
    return { x: () => dx as tf.Tensor, weight: () => dWeight as tf.Tensor, bias: () => dBias as tf.Tensor };
  },
};

/** LayerNorm from tfjs ops, for backends without the fused kernel. */
export function composedLayerNorm<T extends tf.Tensor>(
  x: T,
  weight: tf.Tensor,
  bias: tf.Tensor,
  epsilon: number,
): T {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    const standardized = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(standardized, weight), bias);
  }) as T;
}

/**
 * LayerNorm over the last axis: (x − mean)/√(variance + ε)·weight + bias, with the biased variance
 * (PyTorch's `nn.LayerNorm`). On cpu and wasm it is one fused kernel each way; its gradient has no
 * gradient of its own, so second derivatives need another backend. Elsewhere it is composed of tfjs ops.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { layerNorm } from '@emerge/transformer';
 *
 * await tf.setBackend('cpu');
 * const y = layerNorm(tf.tensor2d([[1, 2, 3]]), tf.ones([3]), tf.zeros([3]), 0);
 * y.arraySync(); // => [[-1.2247, 0, 1.2247]] (mean 2, variance 2/3)
 * console.assert(Math.abs(y.arraySync()[0]![2]! - Math.sqrt(1.5)) < 1e-6);
 * ```
 */
export function layerNorm<T extends tf.Tensor>(x: T, weight: tf.Tensor, bias: tf.Tensor, epsilon: number): T {
  registerFloat32Kernel(LAYER_NORM_KERNELS.layerNorm, layerNormKernel, layerNormGradient);
  registerFloat32Kernel(LAYER_NORM_KERNELS.gradient, layerNormGradientKernel);
  if (x.dtype !== 'float32' || !hasFloat32Kernel(LAYER_NORM_KERNELS.layerNorm)) {
    return composedLayerNorm(x, weight, bias, epsilon);
  }
  const [y, stats] = runFloat32Kernel(LAYER_NORM_KERNELS.layerNorm, { x, weight, bias }, { epsilon });
  stats?.dispose(); // a gradient keeps its own copy
  return y as T;
}
