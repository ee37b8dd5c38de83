import { describe, expect, it } from 'vitest';
import { linePlot } from '../line-plot.js';
import { OptionError } from '../option-error.js';
import { renderSvg } from '../render-svg.js';
import { findCjkFont } from './cjk-font.js';
import { renderPng } from './render-png.js';

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which always directly follows the signature. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const match = /^<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg);
  return { width: Number(match?.[1]), height: Number(match?.[2]) };
}

/** A tiny SVG with one line of text, to compare glyphs. */
const textSvg = (text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="40"><rect width="60" height="40" fill="white"/>` +
  `<text x="4" y="30" font-family="'Noto Sans S Chinese', sans-serif" font-size="28">${text}</text></svg>`;

describe('renderPng', () => {
  it('renders a figure with a Chinese caption to a PNG twice the SVG size', async () => {
    const svg = await renderSvg(
      linePlot({
        title: { en: 'Emergence', zh: '涌现：从量变到质变' },
        caption: { en: 'Exact match jumps.', zh: '完全匹配准确率在约 1.5 万参数处跃升，逐位准确率更平稳。' },
        x: { title: { en: 'parameters', zh: '参数量' }, scale: 'log' },
        y: { title: { en: 'accuracy', zh: '准确率' }, domain: [0, 1] },
        series: [
          {
            name: { en: 'exact match', zh: '完全匹配' },
            points: [
              { x: 7e3, y: 0.002 },
              { x: 1.1e4, y: 0.085 },
              { x: 1.5e4, y: 0.82 },
              { x: 1e5, y: 0.99 },
            ],
          },
        ],
        points: true,
        lang: 'zh',
      }),
    );
    const png = await renderPng(svg);
    expect([...png.subarray(0, 8)]).toEqual(pngSignature);
    const { width, height } = svgSize(svg);
    expect(width).toBeGreaterThan(300);
    expect(pngSize(png)).toEqual({ width: 2 * width, height: 2 * height });
    expect(pngSize(await renderPng(svg, { scale: 1 }))).toEqual({ width, height });
  });

  it('draws real Chinese glyphs: different characters give different images, not the same box', async () => {
    const first = await renderPng(textSvg('损'));
    const second = await renderPng(textSvg('失'));
    const blank = await renderPng(textSvg(''));
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
    expect(Buffer.from(first).equals(Buffer.from(blank))).toBe(false);
  });

  it('uses only the fonts it is given', async () => {
    const font = findCjkFont();
    const given = await renderPng(textSvg('损'), { fontFiles: font.files, defaultFontFamily: font.family });
    expect(Buffer.from(given).equals(Buffer.from(await renderPng(textSvg('损'))))).toBe(true);
  });

  it('rejects a bad scale and missing font files, naming the option', async () => {
    await expect(renderPng(textSvg('a'), { scale: 0 })).rejects.toThrow(OptionError);
    await expect(renderPng(textSvg('a'), { scale: 0 })).rejects.toThrow(
      'scale must be a number in (0, 16], got 0',
    );
    await expect(
      renderPng(textSvg('a'), { fontFiles: ['/no/such.ttf'], defaultFontFamily: 'X' }),
    ).rejects.toThrow('fontFiles[0] must be an existing file');
    await expect(renderPng(textSvg('a'), { fontFiles: findCjkFont().files })).rejects.toThrow(
      'defaultFontFamily',
    );
  });
});
