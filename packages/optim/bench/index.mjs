// Benchmarks of @emerge/optim's plain-JS float64 solvers (run after `npm run build`):
//   npm run bench -w packages/optim [-- --repeats N --only a,b]
//   --repeats N          timed repetitions after one warm-up (default: 3)
//   --only a,b           workload names to run (default: all)
// Prints one JSON object per workload: { workload, unit, ms_median, ms_min, gflop, gflops_per_s, ... }.
// The tensor workloads (the Hessian-vector product among them) are timed by the repository's suite,
// `npm run bench` at the root (bench/), beside a PyTorch reference.
import { performance } from 'node:perf_hooks';
import { createRandom } from '@emerge/core';
import { minNormLeastSquares } from '../dist/index.js';

const argumentsByName = new Map();
for (let index = 2; index < process.argv.length; index += 2) {
  argumentsByName.set(process.argv[index].replace(/^--/, ''), process.argv[index + 1]);
}
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
