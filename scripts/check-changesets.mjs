#!/usr/bin/env node
// Fails when a publishable package changed since the base branch without a changeset describing it.
// The base is $CHANGESET_BASE, else origin/main; on main itself (base == HEAD) nothing has changed.
import { execFileSync, spawnSync } from 'node:child_process';

const base = process.env.CHANGESET_BASE ?? 'origin/main';
const exists = spawnSync('git', ['rev-parse', '--verify', '--quiet', base], { encoding: 'utf8' });
if (exists.status !== 0) {
  console.log(`changeset check: base ${base} does not exist here; set CHANGESET_BASE to check a branch`);
  process.exit(0);
}
const mergeBase = execFileSync('git', ['merge-base', base, 'HEAD'], { encoding: 'utf8' }).trim();
const result = spawnSync('npx', ['--no-install', 'changeset', 'status', `--since=${mergeBase}`], {
  encoding: 'utf8',
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
