/**
 * Crawls a site in headless Chromium from its start page, following every same-origin link, and
 * reports what a reader would hit: a link or resource that does not load (HTTP status >= 400 or a
 * failed request), an image that did not render (naturalWidth 0) and any console error or uncaught
 * exception.
 */
import type { Browser, Page } from 'playwright-core';

/** One problem found while crawling. */
export interface CrawlProblem {
  kind: 'broken link' | 'failed resource' | 'missing image' | 'console error';
  /** The page it was found on. */
  page: string;
  /** The link, resource, image or message. */
  detail: string;
}

/** What a crawl found. */
export interface CrawlReport {
  /** Every page visited (paths, without the origin). */
  pages: string[];
  /** Every image that rendered (paths, without the origin). */
  images: string[];
  problems: CrawlProblem[];
}

/** Options of {@link crawlSite}. */
export interface CrawlOptions {
  /** Pages loaded at the same time. Default: 4. */
  concurrency?: number;
}

/** The page part of an internal URL (no hash, no query), or undefined for another origin. */
function internalPath(href: string, origin: string): string | undefined {
  const url = new URL(href);
  if (url.origin !== origin) return undefined;
  return url.pathname;
}

/** Whether a path names an HTML page (the rest, e.g. images and media files, is fetched, not opened). */
function isPage(path: string): boolean {
  return path.endsWith('/') || path.endsWith('.html');
}

/** Fetches a linked file that is not a page and records it when it does not load. */
async function checkFile(origin: string, path: string, problems: CrawlProblem[]): Promise<void> {
  const response = await fetch(origin + path);
  await response.arrayBuffer();
  if (!response.ok) problems.push({ kind: 'broken link', page: path, detail: `${response.status} ${path}` });
}

/** Loads one page and returns the internal links on it, recording its problems. */
async function visit(
  page: Page,
  origin: string,
  path: string,
  problems: CrawlProblem[],
  rendered: Set<string>,
): Promise<string[]> {
  const pageProblems: CrawlProblem[] = [];
  const onConsole = (message: { type(): string; text(): string }) => {
    // A resource that did not load is also reported by its response, with its URL: keep that one.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      pageProblems.push({ kind: 'console error', page: path, detail: message.text() });
  };
  const onPageError = (error: Error) =>
    pageProblems.push({ kind: 'console error', page: path, detail: error.message });
  const onResponse = (response: {
    status(): number;
    url(): string;
    request(): { isNavigationRequest(): boolean };
  }) => {
    if (response.status() >= 400 && !response.request().isNavigationRequest())
      pageProblems.push({
        kind: 'failed resource',
        page: path,
        detail: `${response.status()} ${response.url()}`,
      });
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('response', onResponse);
  try {
    const response = await page.goto(origin + path, { waitUntil: 'load' });
    if (!response || response.status() >= 400) {
      pageProblems.push({
        kind: 'broken link',
        page: path,
        detail: `${response?.status() ?? 'no response'} ${path}`,
      });
      return [];
    }
    const images = await page.$$eval('img', (elements) =>
      elements.map((image) => ({ src: image.currentSrc || image.src, width: image.naturalWidth })),
    );
    for (const image of images) {
      if (image.width === 0) pageProblems.push({ kind: 'missing image', page: path, detail: image.src });
      else rendered.add(internalPath(image.src, origin) ?? image.src);
    }
    const links = await page.$$eval('a[href]', (anchors) =>
      anchors.map((anchor) => (anchor as HTMLAnchorElement).href),
    );
    return links
      .map((href) => internalPath(href, origin))
      .filter((target): target is string => target !== undefined);
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('response', onResponse);
    problems.push(...pageProblems);
  }
}

/**
 * Crawls from `startPath` (e.g. `/index.html`). A link to a missing page is reported on the page
 * itself with kind `broken link`, plus the pages that link to it.
 */
export async function crawlSite(
  browser: Browser,
  origin: string,
  startPath: string,
  options: CrawlOptions = {},
): Promise<CrawlReport> {
  const concurrency = options.concurrency ?? 4;
  const seen = new Set<string>([startPath]);
  const linkedFrom = new Map<string, string>();
  const queue = [startPath];
  const problems: CrawlProblem[] = [];
  const rendered = new Set<string>();
  const context = await browser.newContext();
  // Browsers ask for /favicon.ico on their own; the site does not link one, so it is not a broken link.
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  try {
    let active = 0;
    const worker = async () => {
      const page = await context.newPage();
      // A worker stops once the queue is empty and no other worker can still add links to it.
      while (queue.length > 0 || active > 0) {
        const path = queue.shift();
        if (path === undefined) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        active++;
        try {
          if (!isPage(path)) {
            await checkFile(origin, path, problems);
            continue;
          }
          for (const link of await visit(page, origin, path, problems, rendered)) {
            if (seen.has(link)) continue;
            seen.add(link);
            linkedFrom.set(link, path);
            queue.push(link);
          }
        } finally {
          active--;
        }
      }
      await page.close();
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await context.close();
  }
  for (const problem of problems)
    if (problem.kind === 'broken link')
      problem.detail += ` (linked from ${linkedFrom.get(problem.page) ?? '?'})`;
  return { pages: [...seen].sort(), images: [...rendered].sort(), problems };
}
