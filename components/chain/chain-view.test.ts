import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { resetTwin, startHarness } from '@/test/twin-harness';

let twin: Awaited<ReturnType<typeof startHarness>>['twin'];
let url: string;

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'nap' }));
});

afterAll(async () => {
  await twin.close();
});

async function render(): Promise<string> {
  const { getChain, invalidateChain } = await import('@/lib/chain');
  const { ChainView } = await import('./chain-view');
  invalidateChain();
  return renderToStaticMarkup(createElement(ChainView, { snapshot: await getChain() }));
}

describe('ChainView', () => {
  it('draws each cluster as a row of linked boxes; a broken PushSecret is marked, the links after it depend on it', async () => {
    await resetTwin(url);
    const ok = await render();
    expect(ok.match(/role="group"/g)).toHaveLength(9 + 8 + 4);
    expect(ok).not.toContain('data-first-broken');
    await fetch(`${url}/_twin/k8s/mgmt/chain-fault`, { method: 'POST', body: JSON.stringify({ link: 'pushsecret-failing' }) });
    const html = await render();
    expect(html).toMatch(/aria-label="mgmt pushsecret" data-verdict="broken" data-first-broken="true"/);
    expect(html).toContain('The chain breaks here.');
    expect(html.match(/data-depends-on="pushsecret"/g)).toHaveLength(4);
    expect(html).toContain('Depends on Push to Key Vault, which is broken.');
    // Times go through When, in the stated zone.
    expect(html).toMatch(/<time[^>]*dateTime="[^"]+"/);
  });
});
