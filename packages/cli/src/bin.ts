#!/usr/bin/env node
import { runCli } from './cli.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new Error('interrupted')));

try {
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTerminal: Boolean(process.stderr.isTTY),
    signal: controller.signal,
    now: () => new Date(),
    environment: process.env,
  });
} catch (error) {
  // A failure that is not bad input (a bug, or a run that threw): one line, and the details for a report.
  process.stderr.write(`emerge-figures: ${(error as Error).message}\n`);
  if (process.env.EMERGE_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
  process.exitCode = 3;
}
