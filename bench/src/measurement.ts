import { performance } from 'node:perf_hooks';

/** Timings and memory of one workload on one side (ours or PyTorch). */
export interface Measurement {
  /** Median wall-clock milliseconds of one repetition after the warm-up. */
  medianMs: number;
  /** Fastest repetition, milliseconds. */
  minMs: number;
  /** Median CPU (user + system) milliseconds of one repetition; above the wall time when threads run in parallel. */
  cpuMedianMs: number;
  /** Every timed repetition, milliseconds, in run order. */
  samplesMs: number[];
  /** Peak resident set of the process that ran the workload (setup included), megabytes. */
  maxRssMb: number;
  /** tfjs' peak bytes held by tensors during one profiled repetition, megabytes (ours only). */
  peakTensorMb?: number;
  /** Anything the side wants to record, e.g. the backend or the torch version. */
  details: Record<string, string | number>;
}

/** Median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Wall and CPU milliseconds of each timed repetition. */
export interface Repetitions {
  wallMs: number[];
  cpuMs: number[];
}

/**
 * Runs `run` `warmup` times untimed, then `repeats` times timed (wall clock and this process's CPU
 * time). `run` must finish its work before returning (read results back to force lazy backends).
 */
export function timeRepetitions(run: () => void, warmup: number, repeats: number): Repetitions {
  for (let index = 0; index < warmup; index++) run();
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  for (let index = 0; index < repeats; index++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    run();
    wallMs.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  return { wallMs, cpuMs };
}

/** Rounds to 2 decimals for the JSON file. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
