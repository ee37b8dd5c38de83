#!/usr/bin/env node
// The pack test: users get our code as npm tarballs, so test it that way. Packs every publishable
// workspace, installs the tarballs into an empty temporary project (npm resolves third-party
// dependencies from the registry as a user's install would), imports each package's public entries
// and runs `npx emerge-figures --help` and a smoke figure there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const packageFolders = ['core', 'transformer', 'optim', 'viz', 'cli'].map((name) =>
  join(root, 'packages', name),
);
const work = mkdtempSync(join(tmpdir(), 'emerge-pack-'));
const keep = process.argv.includes('--keep');

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

try {
  const tarballs = [];
  const entryImports = [];
  for (const folder of packageFolders) {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], folder));
    tarballs.push(join(work, packed[0].filename));
    for (const subpath of Object.keys(manifest.exports)) {
      if (subpath.endsWith('package.json')) continue;
      entryImports.push(subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`);
    }
  }
  const project = join(work, 'project');
  run('mkdir', ['-p', project], work);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'pack-test', private: true, type: 'module' }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], project);

  const checks = entryImports
    .map(
      (specifier) =>
        `{ const m = await import(${JSON.stringify(specifier)}); if (Object.keys(m).length === 0) throw new Error(${JSON.stringify(`${specifier} exports nothing`)}); }`,
    )
    .join('\n');
  writeFileSync(
    join(project, 'imports.mjs'),
    `${checks}\nconsole.log('imported ${entryImports.length} entries');\n`,
  );
  process.stdout.write(run('node', ['imports.mjs'], project));

  const help = run('npx', ['--no-install', 'emerge-figures', '--help'], project);
  if (!/Usage: emerge-figures/.test(help))
    throw new Error(`emerge-figures --help printed no usage:\n${help}`);
  // A user's first real command: regenerate one figure from the installed tarballs (worker processes,
  // the data and font packages included), at the smoke preset so it takes seconds.
  const generated = JSON.parse(
    run(
      'npx',
      ['--no-install', 'emerge-figures', 'double-descent', '--preset', 'smoke', '--out', 'out', '--json'],
      project,
    ),
  );
  if (generated.figures?.[0]?.id !== 'double-descent')
    throw new Error('emerge-figures did not report the figure');
  for (const file of ['double-descent.json', 'double-descent.svg', 'double-descent.png', 'index.html']) {
    if (!existsSync(join(project, 'out', file))) throw new Error(`emerge-figures did not write out/${file}`);
  }
  console.log(
    `pack test: ${tarballs.length} tarballs installed, ${entryImports.length} entries imported, CLI --help ok, double-descent generated`,
  );
  console.log(
    `installed packages: ${readdirSync(join(project, 'node_modules', '@emerge')).join(', ')}, emerge-figures`,
  );
} catch (error) {
  console.error(`pack test failed: ${error.stderr || error.message}`);
  process.exitCode = 1;
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
