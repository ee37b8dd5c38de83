// Where the per-matrix batched product and the column sum start to beat tfjs-backend-wasm's own kernels
// (run after `npx tsup` in packages/core):   node packages/core/bench/wasm-crossovers.mjs
// Times each shape on the original kernels, then again after patchWasmMatMul / patchWasmSum in the same
// process, and prints one JSON line per shape: median CPU microseconds per call before and after.
// Inputs are fresh tensors each call, because XNNPACK caches its packed copy of a reused `b`.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { patchWasmMatMul, patchWasmSum } from '../dist/index.js';

await tf.setBackend('wasm');
await tf.ready();

/** Median CPU microseconds of `run(fresh input)` minus that of making the fresh input. */
function cpuMicroseconds(makeInput, run, repeats = 7, calls = 4) {
  const measure = (work) => {
    const samples = [];
    for (let repeat = 0; repeat <= repeats; repeat++) {
      const start = process.cpuUsage();
      for (let call = 0; call < calls; call++) tf.dispose(tf.tidy(() => work(makeInput())));
      const used = process.cpuUsage(start);
      if (repeat > 0) samples.push((used.user + used.system) / calls);
    }
    return samples.sort((x, y) => x - y)[Math.floor(repeats / 2)];
  };
  return measure(run) - measure((input) => input);
}

const batch = 64;
const sides = [1, 4, 16, 64, 128];
const products = [];
for (const rows of [1, 4, 8, 16, 64]) {
  for (const inner of sides) for (const columns of sides) products.push([rows, inner, columns]);
}
const sums = [
  [2048, 128],
  [2048, 384],
  [4705, 97],
  [64, 64],
  [32, 128],
  [128, 32],
  [16, 16],
  [100, 30],
];

const time = () => ({
  products: products.map(([rows, inner, columns]) => {
    const a = tf.randomNormal([batch, rows, inner]);
    const b = tf.randomNormal([batch, inner, columns]);
    const us = cpuMicroseconds(
      () => [tf.add(a, 0), tf.add(b, 0)],
      ([x, y]) => tf.matMul(x, y),
    );
    tf.dispose([a, b]);
    return us;
  }),
  sums: sums.map((shape) => {
    const x = tf.randomNormal(shape);
    const us = cpuMicroseconds(
      () => tf.add(x, 0),
      (y) => tf.sum(y, 0),
    );
    x.dispose();
    return us;
  }),
});

const before = time();
patchWasmMatMul();
patchWasmSum();
const after = time();
const round = (us) => Number(us.toFixed(1));
products.forEach(([rows, inner, columns], index) => {
  const [was, now] = [before.products[index], after.products[index]];
  console.log(
    JSON.stringify({
      kernel: 'BatchMatMul',
      shape: [batch, rows, inner, columns],
      before_us: round(was),
      after_us: round(now),
    }),
  );
});
sums.forEach((shape, index) => {
  const [was, now] = [before.sums[index], after.sums[index]];
  console.log(JSON.stringify({ kernel: 'Sum axis 0', shape, before_us: round(was), after_us: round(now) }));
});
