import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countClaims } from './catalogue.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('countClaims', () => {
  it('counts held claims over the figure records and ignores other JSON', () => {
    const directory = mkdtempSync(join(tmpdir(), 'bench-claims-'));
    directories.push(directory);
    writeFileSync(join(directory, 'a.json'), JSON.stringify({ claims: [{ holds: true }, { holds: false }] }));
    writeFileSync(join(directory, 'b.json'), JSON.stringify({ claims: [{ holds: true }] }));
    writeFileSync(join(directory, 'manifest.json'), JSON.stringify({ figures: 2 }));
    writeFileSync(join(directory, 'a.svg'), '<svg/>');
    expect(countClaims(directory)).toEqual({ figures: 2, claimsHolding: 2, claimCount: 3 });
  });
});
