/**
 * Child process of the suite: runs ONE workload on selectBackend()'s backend, so that its peak
 * resident memory is its own. Usage: `node dist/worker.js <workload> <repeats>`; prints the
 * Measurement as one JSON line on stdout.
 */
import { selectBackend } from '@emerge/core';
import * as tf from '@tensorflow/tfjs';
import { type Measurement, median, round2, timeRepetitions } from './measurement.js';
import { prepareWorkload } from './workloads/prepare-workload.js';

const [name = '', repeatsText = ''] = process.argv.slice(2);
const repeats = Number(repeatsText);
const backend = await selectBackend();
const workload = await prepareWorkload(name);
const tensorsBefore = tf.memory().numTensors;
// The warm-up repetition is the profiled one, so profiling costs no timed repetition.
const profile = await tf.profile(() => workload.run());
const { wallMs, cpuMs } = timeRepetitions(() => workload.run(), 0, repeats);
const leakedTensors = tf.memory().numTensors - tensorsBefore;
workload.dispose();
const measurement: Measurement = {
  medianMs: round2(median(wallMs)),
  minMs: round2(Math.min(...wallMs)),
  cpuMedianMs: round2(median(cpuMs)),
  samplesMs: wallMs.map(round2),
  maxRssMb: round2(process.resourceUsage().maxRSS / 1024),
  peakTensorMb: round2(profile.peakBytes / 2 ** 20),
  details: { ...workload.details, backend, tfjs: tf.version_core, leakedTensors },
};
process.stdout.write(`${JSON.stringify(measurement)}\n`);
