import { spawn } from 'node:child_process';

/** What a finished child process printed. */
export interface ChildOutput {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` to completion, collecting its output (stdin closed). */
export function runChild(command: string, args: readonly string[], cwd?: string): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The last line of `output` that parses as a JSON object (libraries may print notices before it).
 * @throws {Error} naming the last stderr line when there is none.
 */
export function lastJsonLine(output: ChildOutput): unknown {
  const lines = output.stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line);
    } catch {}
  }
  const reason = output.stderr.trim().split('\n').at(-1) ?? '';
  throw new Error(`exit code ${output.code}${reason ? `: ${reason}` : ', no JSON result'}`);
}
