import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { OptionError } from '../option-error.js';
import { findCjkFont } from './cjk-font.js';

/** Options of {@link renderPng}. */
export interface RenderPngOptions {
  /** Pixels per SVG pixel (2 gives sharp figures on slides and high-DPI screens). Default 2. */
  scale?: number;
  /** Font files (TTF, OTF or TTC; not WOFF) to draw text with. Default: the files of {@link findCjkFont}. */
  fontFiles?: string[];
  /**
   * Family used when none of the SVG's families is loaded (required with `fontFiles`). Default: the
   * family of {@link findCjkFont}.
   */
  defaultFontFamily?: string;
}

/**
 * Rasterizes an SVG (from `renderSvg`) to PNG bytes with resvg, with only the given fonts loaded (never
 * the system's), so the PNG looks the same on every machine and Chinese text has glyphs. resvg runs as
 * WebAssembly (`@resvg/resvg-wasm`), with each font file read once per process and handed over as
 * bytes; the native build reopened and mapped the font file for every glyph it looked up (~1 s per
 * figure, against ~0.3 s here, the same PNG bytes).
 *
 * @example
 * ```ts
 * import { linePlot, renderSvg } from '@emerge/viz';
 * import { renderPng } from '@emerge/viz/node';
 *
 * const spec = linePlot({
 *   title: 'Loss', caption: 'One line.', x: { title: 'step' }, y: { title: 'loss' },
 *   series: [{ name: 'train', points: [{ x: 0, y: 2 }, { x: 10, y: 1 }] }],
 * });
 * const png = await renderPng(await renderSvg(spec), { scale: 2 }); // write it with fs.writeFile('figure.png', png)
 * Array.from(png.subarray(1, 4), (byte) => String.fromCharCode(byte)).join(''); // => 'PNG'
 * console.assert(png[1] === 0x50 && png[2] === 0x4e && png[3] === 0x47);
 * ```
 */
export async function renderPng(svg: string, options: RenderPngOptions = {}): Promise<Uint8Array> {
  const scale = options.scale ?? 2;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || scale > 16) {
    throw new OptionError('scale', 'a number in (0, 16]', scale);
  }
  const { fontFiles, family } = resolveFonts(options);
  const [fontBuffers] = await Promise.all([Promise.all(fontFiles.map(fontBytes)), resvgReady()]);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { fontBuffers, defaultFontFamily: family, sansSerifFamily: family },
  });
  try {
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/** resvg's WebAssembly, compiled once per process. */
let resvgInitialized: Promise<void> | undefined;

function resvgReady(): Promise<void> {
  resvgInitialized ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve('@resvg/resvg-wasm/index_bg.wasm');
    try {
      await initWasm(await readFile(wasmPath));
    } catch (error) {
      // Another module of the process may have initialized the same (process-wide) instance first.
      if (!String((error as Error).message).includes('Already initialized')) throw error;
    }
  })();
  return resvgInitialized;
}

/** Each font file's bytes, read once per process (a CJK font is 8-16 MB). */
const fontCache = new Map<string, Promise<Uint8Array>>();

function fontBytes(file: string): Promise<Uint8Array> {
  let bytes = fontCache.get(file);
  if (bytes === undefined) {
    bytes = readFile(file);
    fontCache.set(file, bytes);
  }
  return bytes;
}

function resolveFonts(options: RenderPngOptions): { fontFiles: string[]; family: string } {
  if (options.fontFiles === undefined) {
    const found = findCjkFont();
    return { fontFiles: found.files, family: options.defaultFontFamily ?? found.family };
  }
  const { fontFiles, defaultFontFamily } = options;
  if (!Array.isArray(fontFiles) || fontFiles.length === 0) {
    throw new OptionError('fontFiles', 'a non-empty array of font file paths', fontFiles);
  }
  // resvg skips unreadable font files silently and would then draw no text at all.
  for (const [index, file] of fontFiles.entries()) {
    if (typeof file !== 'string' || !existsSync(file))
      throw new OptionError(`fontFiles[${index}]`, 'an existing file', file);
  }
  if (typeof defaultFontFamily !== 'string' || defaultFontFamily === '') {
    throw new OptionError(
      'defaultFontFamily',
      'the family name of fontFiles (required with fontFiles)',
      defaultFontFamily,
    );
  }
  return { fontFiles, family: defaultFontFamily };
}
