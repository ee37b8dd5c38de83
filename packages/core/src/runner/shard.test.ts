import { describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import { shardFromEnvironment, validateShard } from './shard.js';

describe('validateShard', () => {
  it('accepts every index below the count', () => {
    expect(validateShard({ index: 0, count: 1 })).toEqual({ index: 0, count: 1 });
    expect(validateShard({ index: 2, count: 3 })).toEqual({ index: 2, count: 3 });
  });

  it('rejects an index at or above the count, negative or fractional, naming the field', () => {
    expect(() => validateShard({ index: 3, count: 2 })).toThrow(
      'shard.index must be an integer in [0, 1] (below the shard count 2), got 3',
    );
    expect(() => validateShard({ index: 2, count: 2 })).toThrow(OptionError);
    expect(() => validateShard({ index: -1, count: 2 })).toThrow(OptionError);
    expect(() => validateShard({ index: 0.5, count: 2 })).toThrow(OptionError);
    expect(() => validateShard({ index: 0, count: 0 })).toThrow(
      'shard.count must be an integer in [1, 1000000], got 0',
    );
    expect(() => validateShard('1/2')).toThrow('shard must be an object { index, count }, got "1/2"');
  });
});

describe('shardFromEnvironment', () => {
  it('reads the Kubernetes, Slurm and AWS Batch index variables, in that order', () => {
    expect(shardFromEnvironment({ JOB_COMPLETION_INDEX: '2' }, 4)).toEqual({ index: 2, count: 4 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '1' }, 4)).toEqual({ index: 1, count: 4 });
    expect(shardFromEnvironment({ AWS_BATCH_JOB_ARRAY_INDEX: '3' }, 4)).toEqual({ index: 3, count: 4 });
    expect(shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '1', JOB_COMPLETION_INDEX: '0' }, 2)).toEqual({
      index: 0,
      count: 2,
    });
  });

  it('returns undefined when no variable is set', () => {
    expect(shardFromEnvironment({ PATH: '/bin', SLURM_ARRAY_TASK_ID: '' }, 4)).toBeUndefined();
  });

  it('rejects an index not below the count, or not an integer, naming the variable', () => {
    expect(() => shardFromEnvironment({ SLURM_ARRAY_TASK_ID: '3' }, 2)).toThrow(
      'SLURM_ARRAY_TASK_ID (the shard index) must be an integer in [0, 1] (below the shard count 2), got 3',
    );
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: 'two' }, 4)).toThrow('got "two"');
    expect(() => shardFromEnvironment({ JOB_COMPLETION_INDEX: '1' }, 0)).toThrow(
      'shard count must be an integer',
    );
  });
});
