import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runChild } from './child-process.js';
import { round2 } from './measurement.js';

/** The quick catalogue timed end to end. */
export interface CatalogueResult {
  wallMs: number;
  exitCode: number | null;
  figures: number;
  claimsHolding: number;
  claimCount: number;
}

/** Claims held and counted over the figure records (`<id>.json` with a `claims` array) in `directory`. */
export function countClaims(directory: string): Omit<CatalogueResult, 'wallMs' | 'exitCode'> {
  let figures = 0;
  let claimsHolding = 0;
  let claimCount = 0;
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
    const record: unknown = JSON.parse(readFileSync(join(directory, file), 'utf8'));
    const claims = (record as { claims?: unknown }).claims;
    if (!Array.isArray(claims)) continue;
    figures++;
    claimCount += claims.length;
    claimsHolding += claims.filter((claim) => (claim as { holds?: unknown }).holds === true).length;
  }
  return { figures, claimsHolding, claimCount };
}

/**
 * Runs `emerge-figures --preset <preset>` (the built CLI of packages/cli) into `keepIn` (kept) or a
 * temporary folder (removed) and counts the claims of the figures it wrote.
 */
export async function timeCatalogue(
  repositoryRoot: string,
  preset = 'quick',
  keepIn?: string,
): Promise<CatalogueResult> {
  const directory = keepIn ?? mkdtempSync(join(tmpdir(), 'emerge-bench-catalogue-'));
  try {
    const start = performance.now();
    const output = await runChild(
      process.execPath,
      [join(repositoryRoot, 'packages/cli/dist/bin.js'), '--preset', preset, '--out', directory],
      repositoryRoot,
    );
    const wallMs = round2(performance.now() - start);
    return { wallMs, exitCode: output.code, ...countClaims(directory) };
  } finally {
    if (keepIn === undefined) rmSync(directory, { recursive: true, force: true });
  }
}
