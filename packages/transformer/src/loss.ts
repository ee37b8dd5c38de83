import { OptionError } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';

/** Losses of the feed-forward models. */
export const LOSS_KINDS = ['squared', 'cross-entropy'] as const;

/**
 * `squared`: mean over outputs of (output - target)², like PyTorch's `MSELoss` (so one-hot targets over
 * 10 classes give a tenth of the summed squared error); `cross-entropy`: softmax cross-entropy summed
 * over classes.
 */
export type LossKind = (typeof LOSS_KINDS)[number];

/**
 * The loss of each example: `output` is [...batch, outputs]; `target` is either a float32 tensor of the
 * same shape (one-hot or soft targets, regression values) or int32 class labels of shape [...batch],
 * which are one-hot encoded. Returns a tensor of shape [...batch].
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { exampleLosses } from '@emerge/transformer';
 *
 * const logits = tf.tensor2d([[0, 0, 0, 0], [0, 10, 0, 0]]);
 * const perExample = exampleLosses('cross-entropy', logits, tf.tensor1d([3, 1], 'int32'));
 * perExample.arraySync(); // => [1.386 (= ln 4, a uniform guess), 0.0001 (a confident right answer)]
 * console.assert(Math.abs(perExample.arraySync()[0]! - Math.log(4)) < 1e-5);
 * ```
 */
export function exampleLosses(kind: LossKind, output: tf.Tensor, target: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const dense = denseTarget(output, target);
    if (kind === 'squared') return tf.mean(tf.square(tf.sub(output, dense)), -1);
    return tf.sub(tf.logSumExp(output, -1), tf.sum(tf.mul(dense, output), -1));
  });
}

/** Targets as float32 of the output's shape; rejects anything else with an error naming `target`. */
function denseTarget(output: tf.Tensor, target: tf.Tensor): tf.Tensor {
  const classes = output.shape[output.rank - 1] ?? 0;
  const batchShape = output.shape.slice(0, -1);
  if (target.dtype === 'int32' && sameShape(target.shape, batchShape)) {
    return tf.oneHot(target.flatten(), classes).reshape(output.shape).toFloat();
  }
  if (target.dtype === 'float32' && sameShape(target.shape, output.shape)) return target;
  throw new OptionError(
    'target',
    `int32 labels of shape [${batchShape.join(', ')}] or a float32 tensor of shape [${output.shape.join(', ')}]`,
    `a ${target.dtype} tensor of shape [${target.shape.join(', ')}]`,
  );
}

function sameShape(left: readonly number[], right: readonly number[]): boolean {
  return left.length === right.length && left.every((size, axis) => size === right[axis]);
}

/**
 * Mean softmax cross-entropy of next-token logits over the positions whose target is >= 0 (a negative
 * target, e.g. -1, marks a position that does not count, like PyTorch's `ignore_index`), so a task can
 * score only its answer tokens. `logits` is [batch, time, vocab], `targets` int32 [batch, time]. A batch
 * with no counted position has loss 0.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { maskedTokenCrossEntropy } from '@emerge/transformer';
 *
 * // One sequence of 3 positions over a vocabulary of 5; only the last position is scored.
 * const logits = tf.zeros([1, 3, 5]) as tf.Tensor3D;
 * const loss = maskedTokenCrossEntropy(logits, tf.tensor2d([[-1, -1, 4]], [1, 3], 'int32'));
 * loss.dataSync()[0]; // => 1.609 (= ln 5, uniform logits)
 * console.assert(Math.abs(loss.dataSync()[0]! - Math.log(5)) < 1e-5);
 * ```
 */
export function maskedTokenCrossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
  const [batch, time, vocab] = logits.shape;
  if (
    targets.dtype !== 'int32' ||
    targets.rank !== 2 ||
    targets.shape[0] !== batch ||
    targets.shape[1] !== time
  ) {
    throw new OptionError(
      'target',
      `int32 token ids of shape [${batch}, ${time}] (negative = ignored)`,
      `a ${targets.dtype} tensor of shape [${targets.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    const counted = tf.greaterEqual(targets, 0).toFloat(); // [batch, time]
    const oneHot = tf.oneHot(tf.maximum(targets, tf.scalar(0, 'int32')), vocab).toFloat(); // [batch, time, vocab]
    const perPosition = tf.sub(tf.logSumExp(logits, -1), tf.sum(tf.mul(oneHot, logits), -1)); // [batch, time]
    return tf.div(tf.sum(tf.mul(perPosition, counted)), tf.maximum(tf.sum(counted), 1)) as tf.Scalar;
  });
}
