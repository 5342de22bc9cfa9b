import type { Page } from '@playwright/test';
import { findInternalReferences } from '../lib/words/internal-references';
import { expect, signIn, test, type DemoUser } from './fixtures';

/**
 * Every page, as each role sees it on the twin, speaks the user's language:
 * no erratum code, issue number, internal document, source path or section
 * sign in its text, and every same-origin link on it resolves (2xx/3xx) — to
 * a heading that exists when the link names one.
 */
const START = ['/', '/zones', '/schedule', '/budget', '/backup', '/jobs', '/audit'];
/** Leaving the session or the app is not a page to read; event streams never end. */
const SKIP = [/^\/signout/, /^\/signin/, /^\/auth\//, /\/stream(\?|$)/, /^\/_next\//];
const MAX_PAGES = 40;

interface Found {
  pages: string[];
  problems: string[];
}

async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    // What a person reads or hears: the text, and the labels assistive technology speaks.
    const attrs = [...document.querySelectorAll('[aria-label],[title],[alt],[placeholder]')].flatMap((el) =>
      ['aria-label', 'title', 'alt', 'placeholder'].map((a) => el.getAttribute(a) ?? ''),
    );
    return [document.title, document.body.innerText, ...attrs].join('\n');
  });
}

async function linksOn(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('a[href], link[rel~="icon"][href], link[rel="manifest"][href]')].map((el) => (el as HTMLAnchorElement).href),
  );
}

async function crawl(page: Page, origin: string): Promise<Found> {
  const queue = [...START];
  const seen = new Set<string>(queue);
  const checked = new Map<string, number>();
  const anchors = new Map<string, Set<string>>();
  const pages: string[] = [];
  const problems: string[] = [];
  const pendingAnchors: { from: string; target: string; id: string }[] = [];

  while (queue.length > 0 && pages.length < MAX_PAGES) {
    const path = queue.shift()!;
    const response = await page.goto(path, { waitUntil: 'load' });
    const status = response?.status() ?? 0;
    if (status >= 400) {
      problems.push(`${path}: HTTP ${status}`);
      continue;
    }
    pages.push(path);
    for (const f of findInternalReferences(await visibleText(page))) problems.push(`${path}: ${f.rule} "${f.match}" in "${f.context}"`);
    anchors.set(path, new Set(await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id))));

    for (const href of await linksOn(page)) {
      const url = new URL(href, origin);
      if (url.origin !== origin) continue;
      const target = url.pathname + url.search;
      if (SKIP.some((re) => re.test(url.pathname))) continue;
      if (!checked.has(target)) {
        const r = await page.request.get(target, { maxRedirects: 0 });
        checked.set(target, r.status());
        const type = r.headers()['content-type'] ?? '';
        if (r.status() < 400 && type.includes('text/html') && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
      const code = checked.get(target)!;
      if (code < 200 || code >= 400) problems.push(`${path}: link ${target} answers ${code}`);
      if (url.hash) pendingAnchors.push({ from: path, target, id: decodeURIComponent(url.hash.slice(1)) });
    }
  }
  // Anchors are checked once every page has been read.
  for (const { from, target, id } of pendingAnchors) {
    if (!anchors.has(target)) {
      await page.goto(target);
      anchors.set(target, new Set(await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id))));
    }
    if (!anchors.get(target)!.has(id)) problems.push(`${from}: link ${target}#${id} names no heading there`);
  }
  return { pages, problems };
}

for (const user of ['reader', 'operator', 'admin'] as DemoUser[]) {
  test(`every page ${user} can open names no internal reference, and every link on it resolves`, async ({ page, twin, baseURL }) => {
    test.setTimeout(240_000);
    await twin.reset('nap');
    await signIn(page, user);
    const { pages, problems } = await crawl(page, new URL(baseURL!).origin);
    // The crawl reached the pages and the docs they link to, not just the start.
    expect(pages).toEqual(expect.arrayContaining([...START, '/docs/environment', '/docs/azure-differences']));
    expect(problems).toEqual([]);
    // `E2E_README_SCREENSHOT=1` retakes the README's picture of the overview, as an operator sees it.
    if (user === 'operator' && process.env.E2E_README_SCREENSHOT) {
      await page.setViewportSize({ width: 1440, height: 1000 });
      await page.goto('/');
      await expect(page.getByRole('group', { name: 'plan aks-app2' })).toBeVisible();
      await page.screenshot({ path: 'docs/overview.png' });
    }
  });
}
