import { describe, expect, it } from 'vitest';
import { loadOptionalPackage, MissingPackageError } from './optional-package.js';

describe('loadOptionalPackage', () => {
  it('names the install command when the package cannot be found', async () => {
    const specifier = 'emerge-figures-no-such-package';
    const failure = loadOptionalPackage(specifier, () => import(/* @vite-ignore */ specifier));
    await expect(failure).rejects.toBeInstanceOf(MissingPackageError);
    await expect(failure).rejects.toThrow('run `npm install emerge-figures-no-such-package`');
  });

  it('returns what the load returns and passes other errors through', async () => {
    expect(await loadOptionalPackage('x', () => 42)).toBe(42);
    await expect(
      loadOptionalPackage('x', () => {
        throw new TypeError('broken file');
      }),
    ).rejects.toThrow(TypeError);
  });
});
