// CPU time of three training steps on the wasm backend with a chosen set of kernel patches, and where
// that time goes kernel by kernel (run after `npx tsup` in packages/core, packages/transformer and
// packages/optim):
//   node packages/core/bench/wasm-kernel-patches.mjs [--patches all|none|LIST] [--repeats N] [--profile]
// --patches  all: what selectBackend applies (default); none: tfjs-backend-wasm's own kernels; or a
//            comma-separated list of matmul, transpose, sum, slice, equal, identity (patchWasmMatMul, ...).
//            Patches cannot be undone, so compare configurations by running the script once for each.
// --profile  also prints the share of CPU time of the ten costliest kernels of each workload;
// --details  the same by kernel, input shapes and transpose flags.
// Prints one JSON object per workload: median CPU ms of one step over N timed steps after two warm-ups.
// CPU time (process.cpuUsage) rather than wall time, because wasm runs on this one thread and the
// machine is shared with other jobs.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createAdam, createAdamW } from '@emerge/optim';
import { createMlp, createRecurrent, createTransformer } from '@emerge/transformer';
import {
  createRandom,
  patchWasmEqual,
  patchWasmIdentity,
  patchWasmKernels,
  patchWasmMatMul,
  patchWasmSlice,
  patchWasmSum,
  patchWasmTranspose,
} from '../dist/index.js';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const patches = option('patches', 'all');
const repeats = Number(option('repeats', '7'));
const details = process.argv.includes('--details');
const profile = details || process.argv.includes('--profile');

await tf.setBackend('wasm');
await tf.ready();
const PATCHES = {
  matmul: patchWasmMatMul,
  transpose: patchWasmTranspose,
  sum: patchWasmSum,
  slice: patchWasmSlice,
  equal: patchWasmEqual,
  identity: patchWasmIdentity,
};
if (patches === 'all') patchWasmKernels();
else if (patches !== 'none') {
  for (const name of patches.split(',')) {
    if (!(name in PATCHES)) throw new Error(`unknown patch ${name}: use ${Object.keys(PATCHES).join(', ')}`);
    PATCHES[name]();
  }
}

/** A kernel's name with its input shapes and flags, for --details. */
function kernelDetails(name, { inputs, attrs }) {
  const shapes = Object.values(inputs)
    .map((input) => `[${input?.shape}]`)
    .join('x');
  const flags =
    attrs?.transposeA || attrs?.transposeB
      ? ` t${attrs.transposeA ? 'A' : ''}${attrs.transposeB ? 'B' : ''}`
      : '';
  return `${name} ${shapes}${flags}`;
}

/** CPU milliseconds spent in each kernel while `profiling` is on: every wasm kernel wrapped in a timer. */
const kernelMs = new Map();
let profiling = false;
let kernelCalls = 0;
if (profile) {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        if (!profiling) return inner(args);
        kernelCalls++;
        const start = process.cpuUsage();
        try {
          return inner(args);
        } finally {
          const used = process.cpuUsage(start);
          const name = details ? kernelDetails(config.kernelName, args) : config.kernelName;
          kernelMs.set(name, (kernelMs.get(name) ?? 0) + (used.user + used.system) / 1000);
        }
      },
    });
  }
}

/** Random token ids [batch, time], int32: the timed steps need the shapes, not a meaningful text. */
function tokens(batchSize, contextLength, vocabSize, seed) {
  return tf.randomUniform([batchSize, contextLength], 0, vocabSize, 'int32', seed);
}

const workloads = {
  // The transformer-train-step shape of the benchmark suite.
  'transformer-train-step': () => {
    const model = createTransformer({
      vocabSize: 64,
      contextLength: 64,
      modelSize: 128,
      layerCount: 2,
      headCount: 4,
      seed: 0,
    });
    const optimizer = createAdam({ variables: model.variables, learningRate: 1e-3 });
    const [inputs, targets] = [tokens(32, 64, 64, 1), tokens(32, 64, 64, 2)];
    return () => optimizer.minimize(() => model.loss(inputs, targets));
  },
  // The lstm-train-step shape of the benchmark suite.
  'lstm-train-step': () => {
    const model = createRecurrent({ cell: 'lstm', vocabSize: 64, hiddenSize: 128, outputSize: 64, seed: 0 });
    const optimizer = createAdam({ variables: model.variables, learningRate: 1e-3 });
    const [inputs, targets] = [tokens(32, 64, 64, 3), tokens(32, 64, 64, 4)];
    return () => optimizer.minimize(() => model.loss(inputs, targets));
  },
  // One full-batch AdamW step of the grokking figure (a + b mod 97, half the pairs, hidden 256).
  'grokking-step': () => {
    const modulus = 97;
    const count = Math.round((modulus * modulus) / 2);
    const model = createMlp({
      inputSize: 2 * modulus,
      hiddenSizes: [256],
      outputSize: modulus,
      init: 'torch-linear',
      seed: 0,
    });
    const optimizer = createAdamW({ variables: model.variables, learningRate: 1e-3, weightDecay: 1 });
    const random = createRandom(3);
    const pairs = Array.from({ length: count }, () => [random.integer(modulus), random.integer(modulus)]);
    const inputs = tf.tidy(() =>
      tf.concat(
        [0, 1].map((side) =>
          tf
            .oneHot(
              tf.tensor1d(
                pairs.map((pair) => pair[side]),
                'int32',
              ),
              modulus,
            )
            .toFloat(),
        ),
        1,
      ),
    );
    const labels = tf.tensor1d(
      pairs.map(([a, b]) => (a + b) % modulus),
      'int32',
    );
    return () => optimizer.minimize(() => model.loss(inputs, labels));
  },
};

for (const [name, prepare] of Object.entries(workloads)) {
  const step = prepare();
  step();
  step();
  const samples = [];
  kernelMs.clear();
  kernelCalls = 0;
  profiling = profile;
  const tensorsBefore = tf.memory().numTensors;
  for (let repeat = 0; repeat < repeats; repeat++) {
    const start = process.cpuUsage();
    step();
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / 1000);
  }
  profiling = false;
  samples.sort((x, y) => x - y);
  const total = [...kernelMs.values()].reduce((sum, ms) => sum + ms, 0);
  const top = [...kernelMs.entries()]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 10)
    .map(([kernel, ms]) => `${kernel} ${((100 * ms) / total).toFixed(0)}% ${(ms / repeats).toFixed(1)}ms`);
  console.log(
    JSON.stringify({
      workload: name,
      patches,
      cpu_ms_median: Number(samples[Math.floor(samples.length / 2)].toFixed(1)),
      cpu_ms_min: Number(samples[0].toFixed(1)),
      leaked_tensors: tf.memory().numTensors - tensorsBefore,
      ...(profile
        ? {
            kernel_calls_per_step: Math.round(kernelCalls / repeats),
            kernel_ms_per_step: Number((total / repeats).toFixed(1)),
            top_kernels: top,
          }
        : {}),
    }),
  );
}
