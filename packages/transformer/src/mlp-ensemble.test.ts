import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMlp } from './mlp.js';
import { createMlpEnsemble } from './mlp-ensemble.js';
import { expectClose, expectNoLeak, useCpu } from './test-helpers.js';

beforeAll(useCpu);

const shape = { inputSize: 3, hiddenSizes: [8], outputSize: 2, activation: 'relu', loss: 'squared' } as const;
const seeds = [5, 6, 7];

describe('createMlpEnsemble', () => {
  it('stacks members whose outputs equal each member built alone, for shared and per-member inputs', () => {
    const ensemble = createMlpEnsemble({ ...shape, seeds });
    expect(ensemble.variables.get('layers.0.weight')?.shape).toEqual([3, 3, 8]);
    expect(ensemble.variables.get('layers.0.bias')?.shape).toEqual([3, 8]);
    const input = tf.randomNormal([4, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
    const output = ensemble.forward(input);
    expect(output.shape).toEqual([3, 4, 2]);
    const perMemberOutput = ensemble.forward(tf.stack([input, input.mul(2), input]));
    seeds.forEach((seed, index) => {
      const alone = createMlp({ ...shape, seed });
      expect(ensemble.parameterCount()).toBe(3 * alone.parameterCount());
      const expected = alone.forward(input);
      const doubled = input.mul(2) as tf.Tensor2D;
      const expectedDoubled = alone.forward(doubled);
      expectClose(output.slice([index, 0, 0], [1, 4, 2]).dataSync(), expected.dataSync(), 1e-6);
      if (index === 1)
        expectClose(perMemberOutput.slice([1, 0, 0], [1, 4, 2]).dataSync(), expectedDoubled.dataSync(), 1e-5);
      tf.dispose([expected, doubled, expectedDoubled]);
      alone.dispose();
    });
    tf.dispose([input, output, perMemberOutput]);
    ensemble.dispose();
  });

  it('trains every member exactly as if it were trained alone (Adam, 25 steps)', () => {
    const input = tf.randomNormal([16, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const target = tf.randomNormal([16, 2], 0, 1, 'float32', 3) as tf.Tensor2D;
    const ensemble = createMlpEnsemble({ ...shape, seeds });
    const ensembleOptimizer = tf.train.adam(0.01);
    for (let step = 0; step < 25; step++) ensembleOptimizer.minimize(() => ensemble.loss(input, target));
    const memberLosses = ensemble.memberLosses(input, target).dataSync();
    seeds.forEach((seed, index) => {
      const alone = createMlp({ ...shape, seed });
      const optimizer = tf.train.adam(0.01);
      for (let step = 0; step < 25; step++) optimizer.minimize(() => alone.loss(input, target));
      const aloneLoss = tf.tidy(() => alone.loss(input, target).dataSync()[0] as number);
      expect(memberLosses[index]).toBeCloseTo(aloneLoss, 5);
      const copy = ensemble.member(index);
      for (const [name, variable] of alone.variables) {
        expectClose(copy.variables.get(name)?.dataSync() ?? [], variable.dataSync(), 1e-5);
      }
      optimizer.dispose();
      copy.dispose();
      alone.dispose();
    });
    tf.dispose([input, target]);
    ensembleOptimizer.dispose();
    ensemble.dispose();
  });

  it('accepts shared int32 labels and per-member targets', () => {
    const ensemble = createMlpEnsemble({ ...shape, loss: 'cross-entropy', seeds: [1, 2] });
    const input = tf.ones([2, 3]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const shared = ensemble.memberLosses(input, labels).dataSync();
    const perMember = ensemble.memberLosses(input, tf.stack([labels, labels])).dataSync();
    expectClose(perMember, shared, 1e-7);
    expect(tf.tidy(() => ensemble.loss(input, labels).dataSync()[0])).toBeCloseTo(
      (shared[0] ?? 0) + (shared[1] ?? 0),
      5,
    );
    tf.dispose([input, labels]);
    ensemble.dispose();
  });

  it('does not leak tensors and rejects bad seeds and inputs', () => {
    const ensemble = createMlpEnsemble({ ...shape, seeds: [1, 2] });
    const input = tf.ones([2, 3]);
    const target = tf.ones([2, 2]);
    expectNoLeak(() => ensemble.forward(input));
    expectNoLeak(() => ensemble.memberLosses(input, target));
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => ensemble.loss(input, target));
      return [value, ...Object.values(grads)];
    });
    const wrong = tf.ones([3, 2, 3]);
    expect(() => ensemble.forward(wrong)).toThrow(/input must be a float32 tensor of shape \[2, any, 3\]/);
    expect(() => ensemble.member(2)).toThrow(/index/);
    expect(() => createMlpEnsemble({ ...shape, seeds: [] })).toThrow(/seeds/);
    expect(() => createMlpEnsemble({ ...shape, seeds: [1, 0.5] })).toThrow(/seeds\[1\]/);
    tf.dispose([input, target, wrong]);
    ensemble.dispose();
  });
});
