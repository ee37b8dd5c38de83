/**
 * Builds the documentation site (or takes the one in EMERGE_DOCS_SITE), serves it on 127.0.0.1 and
 * crawls it in headless Chromium: every internal link must load, every image must render and no page
 * may log a console error. A small fixture site with one of each fault proves the crawler catches them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlSite } from './crawl-site.js';
import { serveDirectory } from './static-server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM_ARGUMENTS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

let browser: Browser;
const scratch: string[] = [];
beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGUMENTS,
  });
});
afterAll(async () => {
  await browser?.close();
  for (const directory of scratch) rmSync(directory, { recursive: true, force: true });
});

describe('the site crawler', () => {
  it('reports a broken link, a missing image and a console error', async () => {
    const site = mkdtempSync(join(tmpdir(), 'emerge-crawl-fixture-'));
    scratch.push(site);
    mkdirSync(join(site, 'pages'));
    writeFileSync(
      join(site, 'index.html'),
      '<!doctype html><title>fixture</title><a href="pages/good.html">good</a> <a href="pages/missing.html">missing</a>',
    );
    writeFileSync(
      join(site, 'pages', 'good.html'),
      '<!doctype html><title>good</title><img src="nowhere.png" alt="gone"><script>console.error("boom")</script><a href="../index.html">home</a>',
    );
    const server = await serveDirectory(site);
    try {
      const report = await crawlSite(browser, server.origin, '/index.html');
      expect(report.pages).toEqual(['/index.html', '/pages/good.html', '/pages/missing.html']);
      const kinds = report.problems.map((problem) => `${problem.kind} on ${problem.page}`).sort();
      expect(kinds).toEqual([
        'broken link on /pages/missing.html',
        'console error on /pages/good.html',
        'failed resource on /pages/good.html', // the image's 404
        'missing image on /pages/good.html',
      ]);
    } finally {
      await server.close();
    }
  });
});

describe('the documentation site', () => {
  let site: string;
  beforeAll(() => {
    if (process.env.EMERGE_DOCS_SITE) {
      site = process.env.EMERGE_DOCS_SITE;
      return;
    }
    site = mkdtempSync(join(tmpdir(), 'emerge-docs-site-'));
    scratch.push(site);
    execFileSync(process.execPath, [join(root, 'docs', 'scripts', 'build-site.mjs'), '--out', site], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }, 300_000);

  it('has a page per guide and figure, every link loads, every image renders, no console errors', async () => {
    // One page per guide, plus the generated parent page of the figures.
    const guides = readdirSync(join(root, 'docs', 'guides')).filter((name) => name.endsWith('.md'));
    expect(readdirSync(join(site, 'documents')).length).toBe(guides.length + 1);
    const server = await serveDirectory(site);
    try {
      const report = await crawlSite(browser, server.origin, '/index.html');
      expect(report.problems).toEqual([]);
      const documents = report.pages.filter((page) => page.startsWith('/documents/'));
      expect(documents.length).toBe(guides.length + 1);
      // Every registered figure's image was copied in and renders on its page.
      const registry = JSON.parse(
        execFileSync(process.execPath, [join(root, 'packages', 'cli', 'dist', 'bin.js'), 'list', '--json'], {
          encoding: 'utf8',
        }),
      ) as { id: string }[];
      expect(report.images).toEqual(expect.arrayContaining(registry.map(({ id }) => `/media/${id}.png`)));
    } finally {
      await server.close();
    }
  }, 180_000);
});
