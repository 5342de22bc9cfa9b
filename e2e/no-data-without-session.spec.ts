import { readFileSync } from 'node:fs';
import type { APIRequestContext } from '@playwright/test';
import { expect, signIn, test } from './fixtures';

/**
 * Every page, asked for in every shape Next.js answers — a document, a client
 * navigation (RSC) with a router state that claims the layout is already on
 * screen, a prefetch, a server action posted to the page, and each route
 * handler — without a session. None of the answers may carry the
 * environment's data. Signed in as each role, the same shapes do carry it,
 * which shows the markers below really are the data.
 */
const PAGES = ['/', '/zones', '/present', '/monitor', '/releases', '/contract', '/chain', '/schedule', '/budget', '/backup', '/jobs', '/preflight', '/audit'];
const ROUTES = ['/audit/export', '/zones/stream', '/monitor/stream', '/jobs/00000000-0000-4000-8000-000000000000/stream'];
/** Names that only the environment's data contains (resource groups, clusters, the subscription, audit actions). */
const DATA = [/rg-k8s-demo-/, /aks-(mgmt|app1|app2)/, /00000000-0000-4000-8000-00000000d3e0/, /auth\.sign-in/];

/**
 * The router state of a client that shows another page under the same root
 * layout: Next renders only what differs, from the segment below the layout
 * down to the page, and the layout's own check never runs.
 */
function routerStateTree(path: string): string {
  const from = path === '/' ? 'zones' : undefined;
  const children = from ? [from, { children: ['__PAGE__', {}] }] : ['__PAGE__', {}];
  return encodeURIComponent(JSON.stringify(['', { children }, null, null]));
}

type Shape = { name: string; fetch: (request: APIRequestContext, path: string) => Promise<{ status: number; body: string }> };

const get = async (request: APIRequestContext, path: string, headers: Record<string, string> = {}) => {
  let res = await request.get(path, { headers, maxRedirects: 0 });
  // Next answers an RSC request without its cache-busting `_rsc` parameter with a redirect that adds it.
  const location = res.headers()['location'] ?? '';
  if (res.status() === 307 && location.includes('_rsc=')) res = await request.get(location, { headers, maxRedirects: 0 });
  return { status: res.status(), body: await res.text() };
};

function actionIds(): string[] {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as { node: Record<string, unknown> };
  return Object.keys(manifest.node);
}

const SHAPES: Shape[] = [
  { name: 'document', fetch: (r, p) => get(r, p) },
  { name: 'RSC navigation with only the page', fetch: (r, p) => get(r, p, { RSC: '1', 'Next-Router-State-Tree': routerStateTree(p), 'Next-Url': p === '/' ? '/zones' : '/' }) },
  { name: 'RSC prefetch', fetch: (r, p) => get(r, p, { RSC: '1', 'Next-Router-Prefetch': '1', 'Next-Router-State-Tree': routerStateTree(p) }) },
  {
    name: 'server action posted to the page',
    fetch: async (r, p) => {
      let body = '';
      let status = 0;
      for (const id of actionIds()) {
        const res = await r.post(p, { headers: { 'Next-Action': id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component', 'Next-Router-State-Tree': routerStateTree(p) }, data: '[{}]', maxRedirects: 0 });
        status = Math.max(status, res.status());
        body += await res.text();
      }
      return { status, body };
    },
  },
];

test.describe('no data without a session', () => {
  for (const shape of SHAPES) {
    test(`pages as ${shape.name}`, async ({ playwright, baseURL }) => {
      // Its own client address: the refusal rate limit counts per address.
      const anonymous = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': `e2e-${shape.name}` } });
      for (const path of PAGES) {
        const { status, body } = await shape.fetch(anonymous, path);
        expect(status, `${shape.name} ${path}`).toBeLessThan(500);
        for (const marker of DATA) expect(body, `${shape.name} ${path} leaks ${marker}`).not.toMatch(marker);
      }
      await anonymous.dispose();
    });
  }

  test('route handlers', async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'X-Forwarded-For': 'e2e-routes' } });
    for (const path of ROUTES) {
      const res = await anonymous.get(path, { maxRedirects: 0 });
      expect(res.status(), path).toBe(401);
      const body = await res.text();
      for (const marker of DATA) expect(body, `${path} leaks ${marker}`).not.toMatch(marker);
    }
    await anonymous.dispose();
  });

  for (const user of ['reader', 'operator', 'admin'] as const) {
    test(`signed in as ${user}, the same shapes carry the data`, async ({ page }) => {
      await signIn(page, user);
      for (const shape of SHAPES.slice(0, 2)) {
        for (const path of ['/', '/backup', '/audit']) {
          const { status, body } = await shape.fetch(page.request, path);
          expect(status, `${shape.name} ${path}`).toBe(200);
          expect(DATA.some((m) => m.test(body)), `${shape.name} ${path} as ${user} shows the environment`).toBe(true);
        }
      }
    });
  }
});
