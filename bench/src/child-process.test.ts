import { describe, expect, it } from 'vitest';
import { lastJsonLine, runChild } from './child-process.js';

describe('lastJsonLine', () => {
  it('skips notices printed before the result', () => {
    expect(lastJsonLine({ code: 0, stdout: 'hello\n{"medianMs":1}\n', stderr: '' })).toEqual({ medianMs: 1 });
  });

  it('reports the exit code and the last stderr line when there is no result', () => {
    expect(() => lastJsonLine({ code: 1, stdout: '', stderr: 'trace\nError: boom\n' })).toThrow(
      'exit code 1: Error: boom',
    );
  });
});

describe('runChild', () => {
  it('collects the output and exit code of a process', async () => {
    const output = await runChild(process.execPath, [
      '-e',
      'console.log(JSON.stringify({a:1})); process.exit(3)',
    ]);
    expect(output.code).toBe(3);
    expect(lastJsonLine(output)).toEqual({ a: 1 });
  });
});
