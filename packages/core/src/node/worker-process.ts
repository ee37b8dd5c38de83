import { type ChildProcess, spawn } from 'node:child_process';
import type { RunJob } from './run-job.js';

/**
 * The program of a worker process, passed with `--eval` so it needs no file of its own (and works
 * unchanged from TypeScript sources, a bundle or dist). It mirrors `runInProcess`: import the module,
 * call the export with (config, seed), send the result back (structured clone keeps NaN visible so the
 * parent can reject it). It exits when the parent goes away.
 */
const WORKER_PROGRAM = `
const send = (message) => { if (process.connected) process.send(message); };
process.on('disconnect', () => process.exit(0));
process.on('message', async ({ moduleUrl, exportName, config, seed }) => {
  try {
    const module = await import(moduleUrl);
    const run = module[exportName];
    if (typeof run !== 'function') {
      throw new TypeError(moduleUrl + ' does not export a function named ' + exportName);
    }
    const result = await run(config, seed);
    send({ ok: true, result });
  } catch (error) {
    const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
    send({ ok: false, error: { name, message, stack } });
  }
});
`;

type WorkerReply =
  | { ok: true; result: unknown }
  | { ok: false; error: { name: string; message: string; stack?: string } };

interface PendingJob {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * One Node child process that runs jobs one at a time. Processes rather than threads, so a run that
 * exhausts memory or crashes native code takes down only its worker, and cancelling is a SIGKILL.
 * The process starts on the first job and is started again if it died.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private pending: PendingJob | undefined;

  /** @param execArgv Node flags for the process, e.g. `['--import', 'tsx']`. */
  constructor(private readonly execArgv: readonly string[]) {}

  /** Runs one job; rejects with the run's own error, or when the process dies or is killed. */
  execute(job: RunJob): Promise<unknown> {
    if (this.pending) return Promise.reject(new Error('a worker process runs one job at a time'));
    const child = this.child ?? this.start();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      child.send(job, (error) => {
        if (error) this.settle((pending) => pending.reject(error));
      });
    });
  }

  /** Kills the process at once (SIGKILL); a job in flight rejects. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  private start(): ChildProcess {
    const child = spawn(
      process.execPath,
      [...this.execArgv, '--input-type=module', '--eval', WORKER_PROGRAM],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced',
      },
    );
    this.child = child;
    child.on('message', (reply: WorkerReply) => {
      this.settle((pending) => {
        if (reply.ok) pending.resolve(reply.result);
        else pending.reject(reviveError(reply.error));
      });
    });
    child.on('error', (error) => this.settle((pending) => pending.reject(error)));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.settle((pending) => pending.reject(new Error(`the worker process ${how} during the run`)));
    });
    return child;
  }

  private settle(action: (pending: PendingJob) => void): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending) action(pending);
  }
}

function reviveError(sent: { name: string; message: string; stack?: string }): Error {
  const error = new Error(sent.message);
  error.name = sent.name;
  if (sent.stack !== undefined) error.stack = sent.stack;
  return error;
}
