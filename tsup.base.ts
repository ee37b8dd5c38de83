import type { Options } from 'tsup';

/** The build every package shares: ESM only, type declarations and sourcemaps, for Node 20. */
export function packageBuild(entry: string[]): Options {
  return { entry, format: ['esm'], dts: true, sourcemap: true, clean: true, target: 'node20' };
}
