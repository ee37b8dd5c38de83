import { describe, expect, it } from 'vitest';
import { BenchArgumentError, parseArguments } from './arguments.js';

describe('parseArguments', () => {
  it('defaults to every workload with the reference and nothing else', () => {
    const options = parseArguments([]);
    expect(options.only).toHaveLength(5);
    expect(options).toMatchObject({
      repeats: undefined,
      reference: true,
      catalogue: false,
      catalogueOut: undefined,
      writeReadme: false,
      output: 'results/latest.json',
      help: false,
    });
  });

  it('reads flags with separate and inline values, keeping the suite order', () => {
    const options = parseArguments([
      '--only=mlp-mnist-epoch,lstm-train-step',
      '--repeats',
      '7',
      '--no-reference',
      '--catalogue',
      '--catalogue-out=figures',
      '--write-readme',
      '--output',
      'results/x.json',
    ]);
    expect(options).toMatchObject({
      only: ['lstm-train-step', 'mlp-mnist-epoch'],
      repeats: 7,
      reference: false,
      catalogue: true,
      catalogueOut: 'figures',
      writeReadme: true,
      output: 'results/x.json',
    });
    expect(parseArguments(['-h']).help).toBe(true);
  });

  it.each([
    [['--repeats', '0'], '--repeats must be an integer in [1, 1000], got "0"'],
    [['--repeats', '2.5'], '--repeats must be an integer in [1, 1000], got "2.5"'],
    [['--repeats'], '--repeats needs a value'],
    [['--only', '--no-reference'], '--only needs a value'],
    [['--only', 'lstm-train-step,gpt'], '--only: unknown workload "gpt"'],
    [['--only='], '--only needs at least one workload name'],
    [['--no-reference=yes'], '--no-reference takes no value'],
    [['--fast'], 'unknown option "--fast" (see --help)'],
  ])('rejects %j with a one-line message', (argv, message) => {
    let caught: unknown;
    try {
      parseArguments(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BenchArgumentError);
    expect((caught as Error).message).toContain(message);
    expect((caught as Error).message).not.toContain('\n');
  });
});
