import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import type { RunSpec } from '../runner/run-key.js';
import type { SweepEvent } from '../runner/sweep-events.js';
import { DiskCache } from './disk-cache.js';
import { runSweep } from './run-sweep.js';
import { SweepRunError } from './sweep-run-error.js';
import { WorkerPool } from './worker-pool.js';

const task = new URL('./fixtures/square-run.mjs', import.meta.url).href;
const version = 'test/1';

interface SquareConfig {
  x: number;
  markerDir: string;
  sleepMs?: number;
  fail?: boolean;
}

let root = '';
let folderCount = 0;
async function freshFolder(): Promise<string> {
  return mkdtemp(join(root, `case-${folderCount++}-`));
}

function squareRuns(
  markerDir: string,
  count: number,
  extra: Partial<SquareConfig> = {},
): RunSpec<SquareConfig>[] {
  return Array.from({ length: count }, (_, x) => ({
    task,
    exportName: 'square',
    config: { x, markerDir, ...extra },
    seed: x % 2,
  }));
}

async function computationCount(markerDir: string): Promise<number> {
  const log = await readFile(join(markerDir, 'computations.log'), 'utf8').catch(() => '');
  return log.split('\n').filter(Boolean).length;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'emerge-sweep-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('runSweep', () => {
  it('computes each run once, returns results in input order, and serves a rerun from the cache', async () => {
    const folder = await freshFolder();
    const runs = squareRuns(folder, 5);
    const first = await runSweep(runs, { cacheDir: join(folder, 'cache'), version });
    expect(first.map((entry) => entry.run)).toEqual(runs);
    expect(first.map((entry) => (entry.result as { square: number }).square)).toEqual([0, 1, 4, 9, 16]);
    expect(first.every((entry) => !entry.cached)).toBe(true);
    const second = await runSweep(runs, { cacheDir: join(folder, 'cache'), version });
    expect(second.every((entry) => entry.cached)).toBe(true);
    expect(second.map((entry) => entry.result)).toEqual(first.map((entry) => entry.result));
    expect(await computationCount(folder)).toBe(5);
  });

  it('gives identical results with one and with two workers, using two processes', async () => {
    const folder = await freshFolder();
    const runs = squareRuns(folder, 6);
    const inProcess = await runSweep(runs, { cacheDir: join(folder, 'one'), version });
    const pooled = await runSweep(runs, { cacheDir: join(folder, 'two'), version, workers: 2 });
    expect(pooled.map((entry) => entry.result)).toEqual(inProcess.map((entry) => entry.result));
    const log = await readFile(join(folder, 'computations.log'), 'utf8');
    const pids = new Set(
      log
        .trim()
        .split('\n')
        .map((line) => Number(line.split(' ')[2])),
    );
    pids.delete(process.pid);
    expect(pids.size).toBe(2);
  });

  it('computes a repeated run once and returns it at every position', async () => {
    const folder = await freshFolder();
    const [a, b] = squareRuns(folder, 2) as [RunSpec<SquareConfig>, RunSpec<SquareConfig>];
    const results = await runSweep([a, b, { ...a }], { cacheDir: join(folder, 'cache'), version });
    expect(results.map((entry) => (entry.result as { square: number }).square)).toEqual([0, 1, 0]);
    expect(await computationCount(folder)).toBe(2);
  });

  it('reports progress events in order, with durations from the injected clock', async () => {
    const folder = await freshFolder();
    const runs = squareRuns(folder, 2);
    await runSweep(runs.slice(0, 1), { cacheDir: join(folder, 'cache'), version });
    const events: SweepEvent[] = [];
    let clock = 0;
    await runSweep(runs, {
      cacheDir: join(folder, 'cache'),
      version,
      onEvent: (event) => events.push(event),
      now: () => (clock += 10),
    });
    expect(events.map((event) => event.type)).toEqual([
      'sweep-start',
      'run-cached',
      'run-start',
      'run-finish',
      'sweep-finish',
    ]);
    expect(events[0]).toMatchObject({ runCount: 2, distinctCount: 2, workers: 1 });
    expect(events[3]).toMatchObject({ index: 1, durationMs: 10 });
    expect(events[4]).toMatchObject({ runCount: 2, cachedCount: 1, computedCount: 1 });
  });

  it('computes shards 0..2 of 3 disjointly; an unsharded call then finds every run cached', async () => {
    const folder = await freshFolder();
    const runs = squareRuns(folder, 10);
    const cacheDir = join(folder, 'cache');
    const shares = [];
    for (let index = 0; index < 3; index++)
      shares.push(await runSweep(runs, { cacheDir, version, shard: { index, count: 3 } }));
    expect(shares.map((share) => share.length).sort()).toEqual([3, 3, 4]);
    expect(await computationCount(folder)).toBe(10);
    const whole = await runSweep(runs, { cacheDir, version });
    expect(whole.every((entry) => entry.cached)).toBe(true);
    expect(await computationCount(folder)).toBe(10);
    const reference = await runSweep(runs, { cacheDir: join(folder, 'reference'), version });
    expect(whole.map((entry) => entry.result)).toEqual(reference.map((entry) => entry.result));
  });

  it('reports a truncated cache file and recomputes that run only', async () => {
    const folder = await freshFolder();
    const runs = squareRuns(folder, 4);
    const cacheDir = join(folder, 'cache');
    const first = await runSweep(runs, { cacheDir, version });
    const damagedKey = (first[2] as { key: string }).key;
    await truncate(new DiskCache(cacheDir).pathOf(damagedKey), 25);
    const events: SweepEvent[] = [];
    const second = await runSweep(runs, { cacheDir, version, onEvent: (event) => events.push(event) });
    expect(events.filter((event) => event.type === 'run-corrupt')).toEqual([
      expect.objectContaining({
        index: 2,
        key: damagedKey,
        reason: 'not valid JSON (truncated or partly written?)',
      }),
    ]);
    expect(second.map((entry) => entry.cached)).toEqual([true, true, false, true]);
    expect(second.map((entry) => entry.result)).toEqual(first.map((entry) => entry.result));
    expect(await computationCount(folder)).toBe(5);
    expect((await runSweep(runs, { cacheDir, version }))[2]?.cached).toBe(true);
  });

  it('rejects bad options before running anything', async () => {
    const folder = await freshFolder();
    const runs = squareRuns(folder, 2);
    const cacheDir = join(folder, 'cache');
    await expect(runSweep(runs, { cacheDir, version, shard: { index: 3, count: 2 } })).rejects.toThrow(
      'shard.index must be an integer in [0, 1] (below the shard count 2), got 3',
    );
    await expect(runSweep(runs, { cacheDir, version, workers: 0 })).rejects.toThrow(
      'workers must be an integer in [1, 256], got 0',
    );
    await expect(
      runSweep([{ ...runs[0], task: './square-run.mjs' } as RunSpec], { cacheDir, version }),
    ).rejects.toThrow('runs[0].task must be a file: URL or an absolute path');
    await expect(runSweep(runs, { cacheDir: '', version })).rejects.toBeInstanceOf(OptionError);
    expect(await computationCount(folder)).toBe(0);
  });

  it('names the failing run, keeps the runs that finished, and rejects results that are not JSON', async () => {
    const folder = await freshFolder();
    const cacheDir = join(folder, 'cache');
    const runs = [
      ...squareRuns(folder, 3),
      { task, exportName: 'square', config: { x: 7, markerDir: folder, fail: true }, seed: 1 },
    ];
    const failure = await runSweep(runs, { cacheDir, version, workers: 2 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SweepRunError);
    expect((failure as SweepRunError).message).toMatch(
      /^run 3 \(square of file:.*square-run\.mjs, seed 1, config .*"x":7.*\) failed: refusing x = 7$/,
    );
    expect((failure as SweepRunError).index).toBe(3);
    const rerun = await runSweep(runs.slice(0, 3), { cacheDir, version });
    expect(rerun.every((entry) => entry.cached)).toBe(true);

    const notJson = runSweep([{ task, exportName: 'notJson', config: {}, seed: 0 }], { cacheDir, version });
    await expect(notJson).rejects.toThrow(/failed: result\.loss must be a finite number/);
    const missing = runSweep([{ task, exportName: 'absent', config: {}, seed: 0 }], {
      cacheDir,
      version,
      workers: 2,
    });
    await expect(missing).rejects.toThrow(/does not export a function named absent/);
  });

  it('stops on abort, killing workers mid-run, and keeps nothing unfinished', async () => {
    const folder = await freshFolder();
    const cacheDir = join(folder, 'cache');
    const runs = squareRuns(folder, 4, { sleepMs: 5000 });
    const controller = new AbortController();
    const startedAt = performance.now();
    const sweep = runSweep(runs, {
      cacheDir,
      version,
      workers: 2,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'run-start') setTimeout(() => controller.abort(), 200);
      },
    });
    await expect(sweep).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - startedAt).toBeLessThan(4000);
    expect(await computationCount(folder)).toBe(0);
    await expect(readdir(cacheDir)).rejects.toThrow();
  });

  it('resumes a sweep whose process was killed without recomputing any finished run', async () => {
    const folder = await freshFolder();
    const cacheDir = join(folder, 'cache');
    const runnerPath = join(folder, 'runner.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./run-sweep.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: runnerPath,
      logLevel: 'silent',
    });
    const runs = squareRuns(folder, 8, { sleepMs: 150 });
    const driver = spawn(
      process.execPath,
      [
        fileURLToPath(new URL('./fixtures/sweep-driver.mjs', import.meta.url)),
        JSON.stringify({ runnerUrl: pathToFileURL(runnerPath).href, runs, cacheDir, version }),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      driver.on('exit', (_code, signal) => resolve(signal)),
    );
    let output = '';
    await new Promise<void>((resolve) => {
      driver.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.split('\n').filter(Boolean).length >= 3) resolve();
      });
    });
    driver.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const finishedBeforeKill = (await readdir(cacheDir, { recursive: true })).filter((name) =>
      name.endsWith('.json'),
    ).length;
    expect(finishedBeforeKill).toBeGreaterThanOrEqual(3);
    expect(finishedBeforeKill).toBeLessThan(8);
    const computedBeforeKill = await computationCount(folder);
    const resumed = await runSweep(runs, { cacheDir, version });
    expect(resumed.filter((entry) => entry.cached)).toHaveLength(finishedBeforeKill);
    expect((await computationCount(folder)) - computedBeforeKill).toBe(8 - finishedBeforeKill);
    const reference = await runSweep(squareRuns(folder, 8, { sleepMs: 0 }), {
      cacheDir: join(folder, 'reference'),
      version,
    });
    expect(resumed.map((entry) => entry.result)).toEqual(reference.map((entry) => entry.result));
  });
});

/** An event listener and a promise that resolves at the first `run-start` it hears. */
function firstRunStart(): { onEvent(event: SweepEvent): void; reached: Promise<void> } {
  let reach: () => void = () => {};
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  return {
    onEvent: (event) => {
      if (event.type === 'run-start') reach();
    },
    reached,
  };
}

describe('runSweep on a shared WorkerPool', () => {
  it('starts the next sweep on a process the first leaves idle, never exceeding the pool, with the same results', async () => {
    const folder = await freshFolder();
    const pool = new WorkerPool(2);
    const events: Array<{ sweep: string; type: string }> = [];
    let running = 0;
    let mostRunning = 0;
    const track = (sweep: string) => (event: SweepEvent) => {
      if (event.type === 'run-start') mostRunning = Math.max(mostRunning, ++running);
      if (event.type === 'run-finish') running--;
      if (event.type === 'run-start' || event.type === 'sweep-finish')
        events.push({ sweep, type: event.type });
    };
    // The first sweep: one long run and one short; the second: three short runs.
    const long = squareRuns(folder, 2).map((run, index) => ({
      ...run,
      config: { ...run.config, sleepMs: index === 0 ? 1500 : 10 },
    }));
    const short = squareRuns(folder, 5).slice(2);
    try {
      // The second sweep starts once the first has started a run (as `generate` chains figures).
      const firstStarted = firstRunStart();
      const firstSweep = runSweep(long, {
        cacheDir: join(folder, 'cache'),
        version,
        pool,
        priority: 0,
        onEvent: (event) => {
          track('first')(event);
          firstStarted.onEvent(event);
        },
      });
      await firstStarted.reached;
      const second = await runSweep(short, {
        cacheDir: join(folder, 'cache'),
        version,
        pool,
        priority: 1,
        onEvent: track('second'),
      });
      const first = await firstSweep;
      const alone = await runSweep([...long, ...short], { cacheDir: join(folder, 'alone'), version });
      expect([...first, ...second].map((entry) => entry.result)).toEqual(alone.map((entry) => entry.result));
    } finally {
      pool.close();
    }
    expect(mostRunning).toBeLessThanOrEqual(2);
    // The second sweep's runs all started, and it finished, while the first still ran its long run.
    const order = events.map((event) => `${event.sweep} ${event.type}`);
    expect(order.indexOf('second sweep-finish')).toBeLessThan(order.indexOf('first sweep-finish'));
    expect(order.slice(0, 2)).toEqual(['first run-start', 'first run-start']);
  });
});

describe('runSweep on a shared WorkerPool, with a run in common', () => {
  it("computes a run two sweeps share once, the second taking the first one's result", async () => {
    const folder = await freshFolder();
    const pool = new WorkerPool(2);
    const shared = squareRuns(folder, 1, { sleepMs: 800 });
    const own = squareRuns(folder, 3).slice(1);
    const secondEvents: string[] = [];
    try {
      const firstStarted = firstRunStart();
      const first = runSweep(shared, {
        cacheDir: join(folder, 'cache'),
        version,
        pool,
        onEvent: firstStarted.onEvent,
      });
      await firstStarted.reached;
      const second = await runSweep([...own, ...shared], {
        cacheDir: join(folder, 'cache'),
        version,
        pool,
        priority: 1,
        onEvent: (event) => secondEvents.push(event.type),
      });
      expect((await first)[0]?.result).toEqual(second[2]?.result);
      expect(second.map((entry) => entry.cached)).toEqual([false, false, true]);
    } finally {
      pool.close();
    }
    expect(await computationCount(folder)).toBe(3);
    expect(secondEvents.filter((type) => type === 'run-start')).toHaveLength(2);
    expect(secondEvents.at(-1)).toBe('sweep-finish');
  });
});
