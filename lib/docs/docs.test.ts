import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { docHref, headingId, renderDoc, rewriteDocLink } from '.';

describe('docs', () => {
  it('makes GitHub-style heading anchors', () => {
    expect(headingId('Nightly stop and node auto-provisioning')).toBe('nightly-stop-and-node-auto-provisioning');
    expect(headingId('The azurerm 5 provider')).toBe('the-azurerm-5-provider');
    expect(headingId('VNet flow logs instead of NSG flow logs')).toBe('vnet-flow-logs-instead-of-nsg-flow-logs');
  });

  it('turns links between docs into in-app links and leaves others alone', () => {
    expect(rewriteDocLink('azure-differences.md#where-backups-live')).toBe('/docs/azure-differences#where-backups-live');
    expect(rewriteDocLink('./environment.md')).toBe('/docs/environment');
    expect(rewriteDocLink('secrets.md')).toBe('secrets.md');
    expect(rewriteDocLink('https://learn.microsoft.com/azure/aks/start-stop-cluster')).toBe('https://learn.microsoft.com/azure/aks/start-stop-cluster');
  });

  it('renders every heading with its anchor and every cross-doc link to an anchor that exists', async () => {
    const envDoc = await renderDoc('environment');
    const diff = await renderDoc('azure-differences');
    const ids = { environment: ids_(envDoc.html), 'azure-differences': ids_(diff.html) };
    expect(ids['azure-differences']).toContain('nightly-stop-and-node-auto-provisioning');
    for (const html of [envDoc.html, diff.html]) {
      for (const [, slug, anchor] of html.matchAll(/href="\/docs\/([a-z-]+)(?:#([^"]+))?"/g)) {
        expect(Object.keys(ids)).toContain(slug);
        if (anchor) expect(ids[slug as keyof typeof ids]).toContain(anchor);
      }
    }
  });

  it('every link the product makes into the docs points at a heading that exists', async () => {
    const diff = ids_((await renderDoc('azure-differences')).html);
    const envIds = ids_((await renderDoc('environment')).html);
    const href = docHref('azure-differences', 'Where backups live');
    expect(href).toBe('/docs/azure-differences#where-backups-live');
    expect(diff).toContain('where-backups-live');
    expect(envIds).toContain('zones');
  });

  it('each difference cites the Azure document that decides it', () => {
    const source = readFileSync('docs/azure-differences.md', 'utf8');
    const sections = source.split(/^## /m).slice(1);
    expect(sections.length).toBeGreaterThan(10);
    for (const s of sections) expect(s, s.split('\n')[0]).toMatch(/\]\(https:\/\/[^)]+\)/);
  });
});

function ids_(html: string): string[] {
  return [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
}
