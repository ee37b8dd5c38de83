import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A font that resvg can draw Latin and Chinese text with. */
export interface CjkFont {
  /** Font family name as the font file declares it. */
  family: string;
  /** The font files (regular first, then bold when there is one). */
  files: string[];
}

/** A place a CJK font may be: its family and files, or the npm package that ships them. */
export interface CjkFontCandidate {
  family: string;
  /** Absolute paths of the files. */
  files?: string[];
  /** An npm package that ships the files, resolved from this module, and the files inside it. */
  packageFiles?: { packageName: string; files: string[] };
}

/**
 * Where {@link findCjkFont} looks, in order: the npm package `@embedpdf/fonts-sc` (Noto Sans CJK SC as
 * OTF, OFL-1.1; `emerge-figures` depends on it), then Debian's `fonts-noto-cjk` and `fonts-wqy-zenhei`.
 */
export const defaultCjkFontCandidates: readonly CjkFontCandidate[] = [
  {
    family: 'Noto Sans S Chinese',
    packageFiles: {
      packageName: '@embedpdf/fonts-sc',
      files: ['fonts/NotoSansHans-Regular.otf', 'fonts/NotoSansHans-Bold.otf'],
    },
  },
  {
    family: 'Noto Sans CJK SC',
    files: [
      '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
      '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
    ],
  },
  { family: 'WenQuanYi Zen Hei', files: ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc'] },
];

/**
 * Finds a font with Chinese and Latin glyphs for PNG rendering: the first candidate whose first file
 * exists (later files, such as a bold weight, are kept only when they exist too). Throws an Error that
 * says what to install when none is found.
 *
 * @example
 * ```ts
 * import { findCjkFont } from '@emerge/viz/node';
 *
 * const font = findCjkFont(); // e.g. { family: 'Noto Sans S Chinese', files: ['/.../NotoSansHans-Regular.otf', ...] }
 * console.assert(font.files.length >= 1);
 * ```
 */
export function findCjkFont(candidates: readonly CjkFontCandidate[] = defaultCjkFontCandidates): CjkFont {
  for (const candidate of candidates) {
    const files = candidateFiles(candidate).filter((file) => existsSync(file));
    const first = candidateFiles(candidate)[0];
    if (first !== undefined && files[0] === first) return { family: candidate.family, files };
  }
  throw new Error(
    'No font with Chinese glyphs found for PNG rendering. Install the npm package @embedpdf/fonts-sc ' +
      '(`npm install @embedpdf/fonts-sc`) or the Debian package fonts-noto-cjk, or pass fontFiles and ' +
      'defaultFontFamily to renderPng.',
  );
}

function candidateFiles(candidate: CjkFontCandidate): string[] {
  const inPackage = candidate.packageFiles;
  if (inPackage === undefined) return candidate.files ?? [];
  const root = packageRoot(inPackage.packageName);
  return root === undefined ? [] : inPackage.files.map((file) => join(root, file));
}

/** The folder of an installed package, or undefined when it is not installed. */
function packageRoot(packageName: string): string | undefined {
  try {
    // The package's exports hide package.json, so resolve its main entry and walk up to the folder
    // that holds package.json.
    let folder = dirname(createRequire(import.meta.url).resolve(packageName));
    while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
    return folder;
  } catch {
    return undefined;
  }
}
