// Before/after timings of patchWasmMatMul on the wasm backend (run after `npx tsup` in packages/core):
//   node packages/core/bench/wasm-matmul.mjs [--repeats N]   (default 5 timed runs after one warm-up)
// Every workload runs first on tfjs-backend-wasm's own kernels, then again after patchWasmMatMul().
// Prints one JSON object per workload with median wall and CPU milliseconds before and after.
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRandom, patchWasmMatMul } from '../dist/index.js';

const repeatsIndex = process.argv.indexOf('--repeats');
const repeats = repeatsIndex > 0 ? Number(process.argv[repeatsIndex + 1]) : 5;

/**
 * Median wall-clock and CPU milliseconds of `run` (which returns tensors to read back and dispose)
 * after one warm-up. wasm runs on this one thread, so CPU time is the compute time even when other
 * processes share the cores; wall time is what a user waits.
 */
function medianMs(run) {
  const once = () => {
    const results = [run()].flat();
    for (const result of results) result.dataSync();
    tf.dispose(results);
  };
  once();
  const wall = [];
  const cpu = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    once();
    const cpuUsed = process.cpuUsage(cpuStart);
    wall.push(performance.now() - start);
    cpu.push((cpuUsed.user + cpuUsed.system) / 1000);
  }
  const median = (samples) => samples.sort((x, y) => x - y)[Math.floor(samples.length / 2)];
  return { wall: median(wall), cpu: median(cpu) };
}

const random = createRandom(1);
const normal = (shape) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.normal() * 0.05),
    shape,
  );

await tf.setBackend('wasm');
await tf.ready();

const a = normal([1000, 784]);
const d = normal([1000, 512]);
const w = normal([784, 512]);
const query = normal([32, 4, 64, 32]);
const key = normal([32, 4, 64, 32]);
const weights = normal([128, 64, 64]);
const sequence = normal([32, 64, 128]);
const projection = normal([128, 512]);
const values = normal([128, 64, 32]);

const mlpSizes = [784, 512, 512, 10];
const mlpParameters = mlpSizes
  .slice(1)
  .flatMap((fanOut, layer) => [normal([mlpSizes[layer], fanOut]), tf.zeros([fanOut])]);
const mlpInput = normal([1000, 784]);
const mlpLabels = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: 1000 }, (_, index) => index % 10),
    'int32',
  ),
  10,
);
const mlpLoss = (...parameters) => {
  let x = mlpInput;
  for (let layer = 0; layer < parameters.length; layer += 2) {
    x = tf.add(tf.matMul(x, parameters[layer]), parameters[layer + 1]);
    if (layer + 2 < parameters.length) x = tf.relu(x);
  }
  return tf.mean(tf.sub(tf.logSumExp(x, -1), tf.sum(tf.mul(mlpLabels, x), -1)));
};

const workloads = {
  'matMul a[1000,784]^T d[1000,512] (transposeA)': () => tf.matMul(a, d, true, false),
  'matMul d[1000,512] w[784,512]^T (transposeB)': () => tf.matMul(d, w, false, true),
  'fused matMul a^T d + relu (transposeA)': () =>
    tf.fused.matMul({ a, b: d, transposeA: true, activation: 'relu' }),
  'matMul q k^T [32,4,64,32] batched (transposeB)': () => tf.matMul(query, key, false, true),
  'matMul w^T v [128,64,64]^T [128,64,32] batched (transposeA)': () =>
    tf.matMul(weights, values, true, false),
  'matMul x[32,64,128] w[128,512] (batched times unbatched)': () => tf.matMul(sequence, projection),
  'gradient MLP 784-512-512-10, 1000 examples': () => tf.tidy(() => tf.grads(mlpLoss)(mlpParameters)),
};

const before = Object.fromEntries(Object.entries(workloads).map(([name, run]) => [name, medianMs(run)]));
patchWasmMatMul();
for (const [name, run] of Object.entries(workloads)) {
  const after = medianMs(run);
  const round = (ms) => Number(ms.toFixed(1));
  console.log(
    JSON.stringify({
      workload: name,
      before_ms: round(before[name].wall),
      after_ms: round(after.wall),
      before_cpu_ms: round(before[name].cpu),
      after_cpu_ms: round(after.cpu),
      speedup_cpu: round(before[name].cpu / after.cpu),
    }),
  );
}
