import { describe, expect, it } from 'vitest';
import { parseCliOptions } from './options.js';
import { UsageError } from './usage-error.js';

const ids = ['double-descent', 'double-descent-nn', 'grokking'];

describe('parseCliOptions', () => {
  it('defaults to every figure at quick into ./figures', () => {
    const options = parseCliOptions([], ids);
    expect(options).toMatchObject({
      command: 'generate',
      ids,
      preset: 'quick',
      out: './figures',
      seed: 0,
      formats: ['svg', 'png'],
      lang: 'en',
      json: false,
      shard: undefined,
    });
    expect(options.workers).toBeGreaterThanOrEqual(1);
  });

  it('reads commands, ids in catalogue order and every flag', () => {
    const options = parseCliOptions(
      [
        'check',
        'grokking',
        'double-descent',
        '--preset',
        'smoke',
        '--out',
        'x',
        '--workers',
        '3',
        '--seed',
        '7',
      ],
      ids,
    );
    expect(options).toMatchObject({
      command: 'check',
      ids: ['double-descent', 'grokking'],
      preset: 'smoke',
      workers: 3,
      seed: 7,
    });
    expect(parseCliOptions(['--format', 'svg', '--lang', 'zh', '--json'], ids)).toMatchObject({
      formats: ['svg'],
      lang: 'zh',
      json: true,
    });
    expect(parseCliOptions(['list'], ids).command).toBe('list');
    expect(parseCliOptions(['--help'], ids).command).toBe('help');
  });

  it('parses shards, taking the index from array-job variables for "/N"', () => {
    expect(parseCliOptions(['--shard', '1/3'], ids).shard).toEqual({ index: 1, count: 3 });
    expect(parseCliOptions(['--shard', '/4'], ids, { SLURM_ARRAY_TASK_ID: '2' }).shard).toEqual({
      index: 2,
      count: 4,
    });
    expect(parseCliOptions(['--shard', '/4'], ids, { JOB_COMPLETION_INDEX: '3' }).shard).toEqual({
      index: 3,
      count: 4,
    });
  });

  it.each([
    [['grokk'], 'unknown figure "grokk" (did you mean "grokking"?)'],
    [['--preset', 'fast'], '--preset must be one of smoke, quick, full, got "fast"'],
    [['--shard', '3/2'], '--shard index 3 must be < count 2'],
    [['--shard', 'a/b'], '--shard must look like I/N'],
    [['--shard', '/2'], '--shard /2 needs an index'],
    [['--workers', '0'], '--workers must be an integer >= 1, got "0"'],
    [['--lang', 'fr'], '--lang must be en or zh'],
    [['--format', 'pdf'], '--format takes a comma-separated list of svg, png'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('rejects %j with one clear line', (args, message) => {
    expect(() => parseCliOptions(args, ids)).toThrow(UsageError);
    expect(() => parseCliOptions(args, ids)).toThrow(message);
  });
});
