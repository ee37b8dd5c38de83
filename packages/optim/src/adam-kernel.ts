import { computeFloat32, registerFloat32Kernel } from '@emerge/core';
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

/** Name of the fused kernel of one Adam/AdamW step of one variable. */
export const ADAM_STEP_KERNEL = 'EmergeAdamStep';

/** Attributes of {@link ADAM_STEP_KERNEL}: the rule's settings and this step's learning rate and index. */
export interface AdamStepAttributes extends NamedAttrMap {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** AdamW's decoupled shrinkage when true, an L2 gradient term when false. */
  decoupled: boolean;
  learningRate: number;
  /** 1-based step index, for the bias corrections. */
  step: number;
}

const round = Math.fround;

/**
 * One Adam step over every element in a single pass: inputs variable, gradient, first and second moment;
 * outputs the new variable, first and second moment. Every operation is rounded to float32 in the order
 * of the composed tfjs ops in `adam.ts` (each scalar, too, as tfjs makes it a float32 tensor), so the
 * result equals theirs bit for bit while the engine sees 1 kernel instead of 14 and 8 scalar uploads.
 */
const adamStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const { variable, gradient, firstMoment, secondMoment } = inputs as NamedTensorInfoMap;
  const { beta1, beta2, epsilon, weightDecay, decoupled, learningRate, step } = attrs as AdamStepAttributes;
  const shape = (variable as TensorInfo).shape;
  return computeFloat32(
    backend,
    [variable, gradient, firstMoment, secondMoment] as TensorInfo[],
    [shape, shape, shape],
    ([weights, gradients, firsts, seconds], [weightsOut, firstsOut, secondsOut]) => {
      const coupled = !decoupled && weightDecay > 0;
      const coupledDecay = round(weightDecay);
      const shrinks = decoupled && weightDecay > 0;
      const shrink = round(1 - learningRate * weightDecay);
      const keepFirst = round(beta1);
      const addFirst = round(1 - beta1);
      const keepSecond = round(beta2);
      const addSecond = round(1 - beta2);
      const secondCorrection = round(1 - beta2 ** step);
      const stepSize = round(learningRate / (1 - beta1 ** step));
      const floor = round(epsilon);
      const count = (weightsOut as Float32Array).length;
      for (let index = 0; index < count; index++) {
        const weight = (weights as Float32Array)[index] as number;
        const raw = (gradients as Float32Array)[index] as number;
        const grad = coupled ? round(raw + round(weight * coupledDecay)) : raw;
        const first = round(
          round(((firsts as Float32Array)[index] as number) * keepFirst) + round(grad * addFirst),
        );
        const second = round(
          round(((seconds as Float32Array)[index] as number) * keepSecond) +
            round(round(grad * grad) * addSecond),
        );
        const denominator = round(round(Math.sqrt(round(second / secondCorrection))) + floor);
        const shrunk = shrinks ? round(weight * shrink) : weight;
        (weightsOut as Float32Array)[index] = shrunk - round(round(first / denominator) * stepSize);
        (firstsOut as Float32Array)[index] = first;
        (secondsOut as Float32Array)[index] = second;
      }
    },
  );
};

/** Registers {@link ADAM_STEP_KERNEL} on the cpu and wasm backends (once). */
export function registerAdamStepKernel(): void {
  registerFloat32Kernel(ADAM_STEP_KERNEL, adamStep);
}
