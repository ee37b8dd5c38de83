import { createRandom, loadMnist, MNIST_PIXELS } from '@emerge/core';
import { createSgd } from '@emerge/optim';
import { createMlp } from '@emerge/transformer';
import * as tf from '@tensorflow/tfjs';
import { MNIST_EPOCH_SHAPE, MNIST_MLP_SIZES } from '../workload-specs.js';
import type { PreparedWorkload } from './prepared-workload.js';

/**
 * One epoch of `createMlp` 784-512-512-10 over the 10,000 MNIST digits of the `mnist` package (shuffled
 * once, since the package stores them sorted by class), SGD with momentum 0.9, one step per batch of 64
 * (the last batch holds the 16 left over).
 */
export async function prepareMnistEpoch(): Promise<PreparedWorkload> {
  const { exampleCount, batchSize } = MNIST_EPOCH_SHAPE;
  const digits = await loadMnist();
  const order = createRandom(3).permutation(digits.count).slice(0, exampleCount);
  const pixels = new Float32Array(exampleCount * MNIST_PIXELS);
  const labels = new Int32Array(exampleCount);
  order.forEach((source, row) => {
    pixels.set(
      digits.images.subarray(source * MNIST_PIXELS, (source + 1) * MNIST_PIXELS),
      row * MNIST_PIXELS,
    );
    labels[row] = digits.labels[source] ?? 0;
  });
  const images = tf.tensor2d(pixels, [exampleCount, MNIST_PIXELS]);
  const classes = tf.tensor1d(labels, 'int32');
  const [inputSize, firstHidden, secondHidden, outputSize] = MNIST_MLP_SIZES as [
    number,
    number,
    number,
    number,
  ];
  const model = createMlp({ inputSize, hiddenSizes: [firstHidden, secondHidden], outputSize, seed: 0 });
  const optimizer = createSgd({ variables: model.variables, learningRate: 0.05, momentum: 0.9 });
  return {
    run: () => {
      for (let start = 0; start < exampleCount; start += batchSize) {
        const size = Math.min(batchSize, exampleCount - start);
        optimizer.minimize(() =>
          model.loss(tf.slice(images, [start, 0], [size, MNIST_PIXELS]), tf.slice(classes, [start], [size])),
        );
      }
    },
    dispose: () => {
      tf.dispose([images, classes]);
      optimizer.dispose();
      model.dispose();
    },
    details: { data: `mnist package, ${exampleCount} digits`, steps: Math.ceil(exampleCount / batchSize) },
  };
}
