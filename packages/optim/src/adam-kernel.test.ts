import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createAdam, createAdamW } from './adam.js';
import { ADAM_STEP_KERNEL, registerAdamStepKernel } from './adam-kernel.js';
import type { GradientOptimizer, OptimizerOptions } from './optimizer.js';

/** Values spread over several orders of magnitude and both signs, from a fixed recurrence. */
function spread(count: number, salt: number): Float32Array {
  return Float32Array.from({ length: count }, (_, index) => {
    const unit = Math.sin(index * 12.9898 + salt * 78.233) * 43758.5453;
    const fraction = unit - Math.floor(unit);
    return (fraction - 0.5) * 10 ** ((index % 7) - 4);
  });
}

/** The variable's bits after five steps of `create` on fixed gradients, with or without the fused kernel. */
function trainedBits(
  backend: string,
  fused: boolean,
  create: (options: OptimizerOptions) => GradientOptimizer,
  learningRate: OptimizerOptions['learningRate'],
): Uint32Array {
  tf.setBackend(backend);
  registerAdamStepKernel();
  const saved = tf.getKernel(ADAM_STEP_KERNEL, backend);
  if (!fused) tf.unregisterKernel(ADAM_STEP_KERNEL, backend);
  try {
    const variable = tf.variable(tf.tensor2d(spread(6 * 37, 1), [6, 37]));
    const optimizer = create({ variables: new Map([['w', variable]]), learningRate });
    for (let step = 0; step < 5; step++) {
      const gradient = tf.tensor2d(spread(6 * 37, step + 2), [6, 37]);
      optimizer.applyGradients(new Map([['w', gradient]]));
      gradient.dispose();
    }
    const bits = new Uint32Array(Float32Array.from(variable.dataSync()).buffer);
    optimizer.dispose();
    variable.dispose();
    return bits;
  } finally {
    if (!fused && saved) tf.registerKernel(saved);
  }
}

describe('the fused Adam step', () => {
  const rules = [
    ['Adam', (options: OptimizerOptions) => createAdam(options)],
    [
      'Adam with L2 weight decay',
      (options: OptimizerOptions) => createAdam({ ...options, weightDecay: 0.1 }),
    ],
    ['AdamW', (options: OptimizerOptions) => createAdamW({ ...options, weightDecay: 1 })],
  ] as const;
  for (const backend of ['cpu', 'wasm']) {
    for (const [name, create] of rules) {
      it(`${name} equals the composed ops bit for bit on ${backend}`, async () => {
        await tf.setBackend(backend);
        const schedule = (step: number) => 3e-3 / (1 + step);
        const fused = trainedBits(backend, true, create, schedule);
        const composed = trainedBits(backend, false, create, schedule);
        expect(Array.from(fused)).toEqual(Array.from(composed));
        // The two runs really differ in path: the kernel is registered again afterwards.
        expect(tf.getKernel(ADAM_STEP_KERNEL, backend)).toBeDefined();
      });
    }
  }

  it('leaks no tensor', async () => {
    await tf.setBackend('wasm');
    const variable = tf.variable(tf.ones([3, 4]));
    const optimizer = createAdamW({ variables: new Map([['w', variable]]), learningRate: 0.1 });
    const gradient = tf.ones([3, 4]);
    optimizer.applyGradients(new Map([['w', gradient]]));
    const before = tf.memory().numTensors;
    optimizer.applyGradients(new Map([['w', gradient]]));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([gradient, variable]);
    optimizer.dispose();
  });
});

describe('the Adam rule on cpu and wasm', () => {
  it('runs as one kernel per variable', async () => {
    await tf.setBackend('wasm');
    const variable = tf.variable(tf.ones([3, 4]));
    const optimizer = createAdam({ variables: new Map([['w', variable]]), learningRate: 0.1 });
    const gradient = tf.ones([3, 4]);
    optimizer.applyGradients(new Map([['w', gradient]])); // the first step also creates the moments
    const profile = await tf.profile(() => optimizer.applyGradients(new Map([['w', gradient]])));
    expect(profile.kernels.map((kernel) => kernel.name)).toEqual([ADAM_STEP_KERNEL]);
    tf.dispose([gradient, variable]);
    optimizer.dispose();
  });
});
