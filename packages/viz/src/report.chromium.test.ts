import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { heatmap } from './heatmap.js';
import { linePlot } from './line-plot.js';
import { renderPng } from './node/render-png.js';
import { renderSvg } from './render-svg.js';
import { type ReportFigure, renderReport } from './report.js';

/** Debian's Chromium (apt-get install chromium); CI installs it, elsewhere the test is skipped without it. */
const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
const folder = mkdtempSync(join(tmpdir(), 'emerge-viz-report-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const provenance = {
  preset: 'smoke',
  seed: 1,
  versions: { '@emerge/viz': '0.1.0' },
  backend: 'cpu',
  node: process.version,
  startedAt: '2026-11-28T12:00:00.000Z',
  durationMs: 1500,
};

/** Pixel width of the PNG figure (rendered at scale 2), set by {@link figures}. */
let pngWidth = 0;

async function figures(): Promise<ReportFigure[]> {
  const line = linePlot({
    title: { en: 'Grokking', zh: '顿悟' },
    caption: { en: 'Test accuracy rises late.', zh: '测试准确率很晚才上升。' },
    x: { title: { en: 'step', zh: '步数' }, scale: 'log' },
    y: { title: { en: 'accuracy', zh: '准确率' }, domain: [0, 1] },
    series: [
      {
        name: { en: 'train', zh: '训练' },
        points: [
          { x: 10, y: 0.1 },
          { x: 100, y: 1 },
          { x: 1000, y: 1 },
        ],
      },
      {
        name: { en: 'test', zh: '测试' },
        points: [
          { x: 10, y: 0.01 },
          { x: 100, y: 0.02 },
          { x: 1000, y: 0.97 },
        ],
      },
    ],
    lang: 'zh',
  });
  const attention = heatmap({
    title: 'Attention',
    caption: 'The query attends to the key.',
    x: { title: 'key' },
    y: { title: 'query' },
    values: [
      [1, 0, 0],
      [0.5, 0.5, 0],
      [0.05, 0.9, 0.05],
    ],
    color: { title: 'weight', domain: [0, 1] },
    marks: [{ row: 2, column: 1 }],
  });
  const png = await renderPng(await renderSvg(attention));
  pngWidth = new DataView(png.buffer, png.byteOffset).getUint32(16);
  writeFileSync(join(folder, 'attention-map.png'), png);
  const base = {
    section: { en: 'Emergence', zh: '涌现' },
    caption: { en: 'Caption.', zh: '图注。' },
    provenance,
    claims: [{ id: 'late', statement: { en: 'late', zh: '晚' }, holds: true, value: 10, threshold: 5 }],
  };
  return [
    { ...base, id: 'grokking', title: { en: 'Grokking', zh: '顿悟' }, svg: await renderSvg(line) },
    {
      ...base,
      id: 'attention-map',
      title: '<script>window.pwned = true</script>',
      image: 'attention-map.png',
    },
  ];
}

describe.skipIf(!hasChromium && process.env.CI !== 'true')('renderReport in headless Chromium', () => {
  it('loads every figure image, runs no script and logs no console error', async () => {
    const path = join(folder, 'index.html');
    writeFileSync(
      path,
      renderReport({ title: { en: 'Report', zh: '报告' }, figures: await figures(), lang: 'zh' }),
    );
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
      const images = await page.$$eval('img', (elements) =>
        elements.map((image) => ({
          complete: image.complete,
          width: image.naturalWidth,
          height: image.naturalHeight,
          shownWidth: image.clientWidth,
        })),
      );
      expect(images).toHaveLength(2);
      for (const image of images) {
        expect(image.complete).toBe(true);
        expect(image.width).toBeGreaterThan(100);
        expect(image.height).toBeGreaterThan(100);
      }
      // The 2x PNG is drawn at figure size, half its pixel width.
      expect(images[1]?.shownWidth).toBe(pngWidth / 2);
      // The escaped title is visible as text and did not run.
      expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
      expect(await page.locator('h3').nth(1).textContent()).toContain('<script>window.pwned = true</script>');
      const screenshot = await page.screenshot({ fullPage: true, path: join(folder, 'report.png') });
      expect([...screenshot.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
