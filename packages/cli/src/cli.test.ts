import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliContext, runCli } from './cli.js';
import { readFigureRecords } from './commands/generate.js';

function capture(overrides: Partial<CliContext> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const context: CliContext = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    isTerminal: false,
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...overrides,
  };
  return { context, stdout: () => out.join(''), stderr: () => err.join('') };
}

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'emerge-cli-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('runCli', () => {
  it('prints usage for --help and the version for --version', async () => {
    const help = capture();
    expect(await runCli(['--help'], help.context)).toBe(0);
    expect(help.stdout()).toMatch(/^Usage: emerge-figures/);
    expect(help.stdout()).toContain('double-descent');
    const version = capture();
    expect(await runCli(['--version'], version.context)).toBe(0);
    expect(version.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('lists the catalogue, as text and as JSON', async () => {
    const text = capture();
    expect(await runCli(['list'], text.context)).toBe(0);
    expect(text.stdout()).toMatch(/^double-descent\s+§4\s+Double descent/m);
    const json = capture();
    expect(await runCli(['list', '--json'], json.context)).toBe(0);
    expect(JSON.parse(json.stdout())).toContainEqual(
      expect.objectContaining({ id: 'double-descent', section: '§4' }),
    );
  });

  it('generates a figure at smoke with JSON, SVG, PNG and the report, then checks it', async () => {
    const out = join(folder, 'figures');
    const run = capture();
    expect(
      await runCli(['double-descent', '--preset', 'smoke', '--out', out, '--workers', '1'], run.context),
    ).toBe(0);
    const record = JSON.parse(await readFile(join(out, 'double-descent.json'), 'utf8'));
    expect(record).toMatchObject({ id: 'double-descent', preset: 'smoke', seed: 0, section: { id: '§4' } });
    expect(record.claims).toHaveLength(5);
    expect(record.provenance.backend).toMatch(/^(wasm|cpu|node)$/);
    expect(await readFile(join(out, 'double-descent.svg'), 'utf8')).toMatch(/^<svg/);
    expect(
      (await readFile(join(out, 'double-descent.png')).then((bytes) => bytes.subarray(1, 4))).toString(),
    ).toBe('PNG');
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('Double descent');

    const check = capture();
    const code = await runCli(['check', 'double-descent', '--out', out], check.context);
    const holding = record.claims.every((claim: { holds: boolean }) => claim.holds);
    expect(code).toBe(holding ? 0 : 1);
    expect(check.stdout()).toMatch(/claims hold\n$/);

    // A second run with the same seed is served from the cache and gives the same data.
    const again = capture();
    expect(await runCli(['double-descent', '--preset', 'smoke', '--out', out, '--json'], again.context)).toBe(
      0,
    );
    const second = JSON.parse(await readFile(join(out, 'double-descent.json'), 'utf8'));
    expect(second.data).toEqual(record.data);
    expect(JSON.parse(again.stdout()).figures[0].id).toBe('double-descent');
  });

  it('computes only a shard and draws nothing with --shard', async () => {
    const out = join(folder, 'sharded');
    const run = capture();
    expect(
      await runCli(
        ['double-descent', '--preset', 'smoke', '--out', out, '--shard', '0/2', '--workers', '1'],
        run.context,
      ),
    ).toBe(0);
    expect(run.stderr()).toContain('shard 0/2 done');
    await expect(readFile(join(out, 'double-descent.json'))).rejects.toThrow();
  });

  it('answers bad input with one line and exit code 2', async () => {
    for (const args of [
      ['grokkin'],
      ['--preset', 'fast'],
      ['--shard', '3/2'],
      ['check', '--out', join(folder, 'none')],
    ]) {
      const bad = capture();
      expect(await runCli(args, bad.context)).toBe(2);
      expect(bad.stderr()).toMatch(/^emerge-figures: [^\n]+\n$/);
    }
  });

  it('reports a corrupted result file instead of crashing, and keeps it', async () => {
    const out = join(folder, 'corrupt');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'double-descent.json'), '{"id": "double-desc');
    const bad = capture();
    expect(await runCli(['check', 'double-descent', '--out', out], bad.context)).toBe(2);
    expect(bad.stderr()).toContain('is not a valid figure record');
    expect(await readFile(join(out, 'double-descent.json'), 'utf8')).toBe('{"id": "double-desc');
    const invalid: string[] = [];
    expect((await readFigureRecords(out, (path) => invalid.push(path))).size).toBe(0);
    expect(invalid).toEqual([join(out, 'double-descent.json')]);
  });

  it.skipIf(process.getuid?.() === 0)('rejects an unwritable --out', async () => {
    const locked = join(folder, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o500);
    const bad = capture();
    expect(await runCli(['--out', join(locked, 'sub'), '--preset', 'smoke'], bad.context)).toBe(2);
    expect(bad.stderr()).toMatch(/cannot write to --out/);
  });
});

describe('the built command', () => {
  it('runs figures on two shared worker processes with the same data as in one process', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const bin = new URL('../dist/bin.js', import.meta.url).pathname;
    const ids = ['gradient-flow', 'double-descent']; // catalogue order
    const dataOf = async (workers: string) => {
      const out = join(folder, `built-${workers}`);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [bin, ...ids, '--preset', 'smoke', '--out', out, '--workers', workers, '--json'],
        { encoding: 'utf8' },
      );
      expect(JSON.parse(stdout).figures.map((figure: { id: string }) => figure.id)).toEqual(ids);
      return Promise.all(
        ids.map(async (id) => JSON.parse(await readFile(join(out, `${id}.json`), 'utf8')).data),
      );
    };
    expect(await dataOf('2')).toEqual(await dataOf('1'));
  });
});
