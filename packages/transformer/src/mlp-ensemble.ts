import type { ForwardOptions, Model } from '@emerge/core';
import { OptionError, requireIntegerInRange } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import type { DenseLayer } from './dense.js';
import { denseStack } from './dense.js';
import { exampleLosses } from './loss.js';
import {
  createMlp,
  drawMlpValues,
  type Mlp,
  type MlpOptions,
  mlpVariableName,
  resolveMlpOptions,
} from './mlp.js';
import { requireSeed, requireTensor } from './validation.js';
import { VariableSet } from './variables.js';

/** Options of {@link createMlpEnsemble}: those of {@link createMlp}, with one seed per member. */
export interface MlpEnsembleOptions extends Omit<MlpOptions, 'seed'> {
  /** One seed per member; member k starts exactly as `createMlp({ ...options, seed: seeds[k] })`. Required, non-empty. */
  seeds: readonly number[];
}

/**
 * K independent MLPs of one shape computed as one batched model: variables `layers.<i>.weight`
 * [K, in, out] and `layers.<i>.bias` [K, out]. Inputs are shared [batch, in] or per member
 * [K, batch, in]; targets likewise shared or with a leading K axis. Outputs are [K, batch, out].
 */
export interface MlpEnsemble extends Model<tf.Tensor, tf.Tensor, tf.Tensor3D> {
  readonly memberCount: number;
  readonly layerSizes: readonly number[];
  /** Each member's mean loss, [K]. */
  memberLosses(input: tf.Tensor, target: tf.Tensor): tf.Tensor1D;
  /** A standalone copy of member `index` (new variables; dispose it yourself). */
  member(index: number): Mlp;
}

/**
 * Creates a batched ensemble of MLPs. `loss` is the SUM of the members' mean losses, so the gradient
 * with respect to member k's slice is exactly member k's own gradient, and any elementwise optimizer
 * (SGD, Adam) trains every member exactly as if it were trained alone — in one batched step.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { createMlpEnsemble } from '@emerge/transformer';
 *
 * const ensemble = createMlpEnsemble({ inputSize: 49, hiddenSizes: [64], outputSize: 10, seeds: [1, 2, 3] });
 * const images = tf.randomUniform([16, 49], 0, 1, 'float32', 1);
 * const labels = tf.tensor1d(Array.from({ length: 16 }, (_, index) => index % 10), 'int32');
 * const perMember = ensemble.memberLosses(images, labels);
 * perMember.shape; // => [3]: one mean loss per member
 * // Member 0 alone computes the same loss as its slice of the ensemble.
 * const alone = ensemble.member(0).loss(images, labels);
 * console.assert(Math.abs(perMember.arraySync()[0]! - alone.dataSync()[0]!) < 1e-5);
 * ```
 */
export function createMlpEnsemble(options: MlpEnsembleOptions): MlpEnsemble {
  const resolved = resolveMlpOptions(options);
  if (!Array.isArray(options.seeds) || options.seeds.length === 0) {
    throw new OptionError('seeds', 'a non-empty array of safe integers', options.seeds);
  }
  const seeds = options.seeds.map((seed, index) => requireSeed(`seeds[${index}]`, seed));
  const memberCount = seeds.length;
  const memberValues = seeds.map((seed) => drawMlpValues(resolved, seed));
  const variables = new VariableSet();
  const layers: DenseLayer[] = resolved.layerSizes.slice(1).map((fanOut, index) => {
    const fanIn = resolved.layerSizes[index] as number;
    const stack = (part: 'weight' | 'bias') =>
      concatenate(memberValues.map((values) => values[index]?.[part]));
    return {
      weight: variables.add(mlpVariableName(index, 'weight'), stack('weight'), [memberCount, fanIn, fanOut]),
      bias: variables.add(mlpVariableName(index, 'bias'), stack('bias'), [memberCount, fanOut]),
    };
  });
  const inputSize = resolved.layerSizes[0] as number;

  const forward = (input: tf.Tensor): tf.Tensor3D =>
    tf.tidy(() => {
      const perMember = input.rank === 2 ? tf.broadcastTo(input, [memberCount, ...input.shape]) : input;
      requireTensor('input', perMember, 'float32', [memberCount, null, inputSize]);
      const biased = layers.map((layer) => ({ weight: layer.weight, bias: tf.expandDims(layer.bias, 1) }));
      return denseStack(perMember, biased, resolved.activation) as tf.Tensor3D; // [members, batch, outputs]
    });

  const memberLosses = (input: tf.Tensor, target: tf.Tensor): tf.Tensor1D =>
    tf.tidy(() => {
      const output = forward(input); // [members, batch, outputs]
      const labels = target.dtype === 'int32';
      const shared = labels ? target.rank === 1 : target.rank === 2;
      const perMemberTarget = shared ? tf.broadcastTo(target, [memberCount, ...target.shape]) : target;
      return tf.mean(exampleLosses(resolved.loss, output, perMemberTarget), 1) as tf.Tensor1D; // [members]
    });

  return {
    name: options.name ?? `mlp-ensemble-${memberCount}x${resolved.layerSizes.join('x')}`,
    memberCount,
    layerSizes: resolved.layerSizes,
    variables: variables.map,
    forward,
    memberLosses,
    loss: (input: tf.Tensor, target: tf.Tensor, _options?: ForwardOptions) =>
      tf.tidy(() => tf.sum(memberLosses(input, target)) as tf.Scalar),
    member(index) {
      requireIntegerInRange('index', index, 0, memberCount - 1);
      const model = createMlp({ ...options, seed: seeds[index] as number });
      tf.tidy(() => {
        for (const [name, variable] of variables.map) {
          const slice = tf.gather(variable, index);
          model.variables.get(name)?.assign(slice);
        }
      });
      return model;
    },
    parameterCount: () => variables.scalarCount(),
    dispose: () => variables.dispose(),
  };
}

function concatenate(parts: readonly (Float32Array | undefined)[]): Float32Array {
  const total = parts.reduce((sum, part) => sum + (part?.length ?? 0), 0);
  const joined = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    if (part === undefined) continue;
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
