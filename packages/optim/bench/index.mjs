// Benchmarks of @emerge/optim (run after `npm run build`): `npm run bench -w packages/optim [-- options]`.
//   --backend wasm,cpu   tfjs backends for the tensor workloads (default: wasm)
//   --repeats N          timed repetitions after one warm-up (default: 3)
//   --only a,b           workload names to run (default: all)
// Prints one JSON object per workload and backend, in the format of
// /work/shared/bench-reference/torch_reference.py: { workload, unit, ms_median, ms_min, gflop, ... }.
// `gflop` is the nominal count used by the PyTorch reference, so gflops_per_s compares like with like.
import { performance } from 'node:perf_hooks';
import { createRandom } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createHessianOperator, minNormLeastSquares } from '../dist/index.js';

const argumentsByName = new Map();
for (let index = 2; index < process.argv.length; index += 2) {
  argumentsByName.set(process.argv[index].replace(/^--/, ''), process.argv[index + 1]);
}
const backends = (argumentsByName.get('backend') ?? 'wasm').split(',');
const repeats = Number(argumentsByName.get('repeats') ?? 3);
const only = new Set((argumentsByName.get('only') ?? '').split(',').filter(Boolean));

function timed(run) {
  run();
  const samples = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], best: samples[0] };
}

function report(workload, unit, gflop, extra, run) {
  if (only.size > 0 && !only.has(workload)) return;
  const { median, best } = timed(run);
  console.log(
    JSON.stringify({
      workload,
      unit,
      ms_median: Number(median.toFixed(2)),
      ms_min: Number(best.toFixed(2)),
      gflop: Number(gflop.toFixed(3)),
      gflops_per_s: Number((gflop / (median / 1000)).toFixed(2)),
      ...extra,
    }),
  );
}

/** MLP 784-512-512-10 (ReLU) with softmax cross-entropy over 1,000 uniform random examples. */
function hessianVectorProductWorkload(backend) {
  const random = createRandom(0);
  const widths = [784, 512, 512, 10];
  const count = 1000;
  const variables = new Map();
  for (let layer = 0; layer + 1 < widths.length; layer++) {
    const [fanIn, fanOut] = [widths[layer], widths[layer + 1]];
    const bound = 1 / Math.sqrt(fanIn);
    const kernel = Float32Array.from({ length: fanIn * fanOut }, () => random.uniformIn(-bound, bound));
    const bias = Float32Array.from({ length: fanOut }, () => random.uniformIn(-bound, bound));
    variables.set(`dense${layer}/kernel`, tf.variable(tf.tensor2d(kernel, [fanIn, fanOut])));
    variables.set(`dense${layer}/bias`, tf.variable(tf.tensor1d(bias)));
  }
  const inputs = tf.tensor2d(
    Float32Array.from({ length: count * 784 }, () => random.uniform()),
    [count, 784],
  );
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: count }, () => random.integer(10)),
      'int32',
    ),
    10,
  );
  const loss = () =>
    tf.tidy(() => {
      let activations = inputs;
      for (let layer = 0; layer + 1 < widths.length; layer++) {
        const preActivation = tf.add(
          tf.matMul(activations, variables.get(`dense${layer}/kernel`)),
          variables.get(`dense${layer}/bias`),
        );
        activations = layer + 2 < widths.length ? tf.relu(preActivation) : preActivation;
      }
      return tf.losses.softmaxCrossEntropy(labels, activations);
    });
  const parameters = 784 * 512 + 512 * 512 + 512 * 10;
  const hessian = createHessianOperator({ variables, loss });
  const direction = Float64Array.from({ length: hessian.dimension }, () => random.normal());
  report(
    'mlp-hessian-vector-product',
    'product',
    (4 * 2 * parameters * count) / 1e9,
    { backend, method: 'central-difference' },
    () => hessian.multiply(direction),
  );
  for (const variable of variables.values()) variable.dispose();
  inputs.dispose();
  labels.dispose();
}

function minNormWorkload(rows, columns) {
  const random = createRandom(1);
  const design = Float64Array.from({ length: rows * columns }, () =>
    Math.cos(0.2 * random.normal() + random.uniformIn(0, 2 * Math.PI)),
  );
  const targets = Float64Array.from({ length: rows * 30 }, () => random.normal());
  const small = Math.min(rows, columns);
  const gflop = (small * small * Math.max(rows, columns) + (4 / 3) * small ** 3) / 1e9;
  report(
    `min-norm-least-squares-${rows}x${columns}`,
    'solve',
    gflop,
    { backend: 'plain-js-float64', targets: 30 },
    () => minNormLeastSquares(design, rows, columns, targets, 30),
  );
}

minNormWorkload(500, 500);
minNormWorkload(500, 10_000);
for (const backend of backends) {
  await tf.setBackend(backend);
  await tf.ready();
  hessianVectorProductWorkload(backend);
}
