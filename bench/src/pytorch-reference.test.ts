import { describe, expect, it } from 'vitest';
import { probePytorch } from './pytorch-reference.js';

describe('probePytorch', () => {
  it('reports a missing interpreter instead of failing', async () => {
    expect(await probePytorch('/nonexistent/python3')).toEqual({
      available: false,
      description: '/nonexistent/python3 is missing',
    });
  });

  it('reports an interpreter that cannot import torch', async () => {
    // Node stands in for a Python without torch: its `-c` checks the syntax of a file by that name, which is missing.
    const status = await probePytorch(process.execPath);
    expect(status).toEqual({ available: false, description: `${process.execPath} cannot import torch` });
  });
});
