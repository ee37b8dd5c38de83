import { runChild } from './child-process.js';
import type { ReferenceStatus } from './results-table.js';

/** The interpreter the reference runs on (Debian's, where `python3-torch` installs). */
export const PYTHON = '/usr/bin/python3';

/** Whether `python` can import torch, with torch's version, or why not. */
export async function probePytorch(python: string = PYTHON): Promise<ReferenceStatus> {
  try {
    const output = await runChild(python, ['-c', 'import torch; print(torch.__version__)']);
    if (output.code !== 0) return { available: false, description: `${python} cannot import torch` };
    return { available: true, description: `torch ${output.stdout.trim()} on the CPU, 1 thread` };
  } catch {
    return { available: false, description: `${python} is missing` };
  }
}
