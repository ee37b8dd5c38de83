import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The version of an installed package, or `unknown` when its manifest cannot be read. */
function versionOf(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Versions of the packages a figure depends on, for provenance and cache keys. */
export function packageVersions(): Record<string, string> {
  const names = [
    'emerge-figures',
    '@emerge/core',
    '@emerge/transformer',
    '@emerge/optim',
    '@emerge/viz',
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
  ];
  const versions: Record<string, string> = {};
  for (const name of names) {
    versions[name] = versionOf(name);
  }
  return versions;
}

/** This package's own version. */
export function cliVersion(): string {
  return versionOf('emerge-figures');
}
