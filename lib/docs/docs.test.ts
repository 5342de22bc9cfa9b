import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { docHref, headingId, isDocSlug, renderDoc, rewriteDocLink } from '.';
import { findInternalReferences } from '../words/internal-references';

describe('docs', () => {
  it('makes GitHub-style heading anchors', () => {
    expect(headingId('Nightly stop and node auto-provisioning')).toBe('nightly-stop-and-node-auto-provisioning');
    expect(headingId('The azurerm 5 provider')).toBe('the-azurerm-5-provider');
    expect(headingId('VNet flow logs instead of NSG flow logs')).toBe('vnet-flow-logs-instead-of-nsg-flow-logs');
  });

  it('reads only the listed docs, never a path from the request', () => {
    expect(isDocSlug('environment')).toBe(true);
    for (const bad of ['../README', 'constructor', '__proto__', 'environment.md', '']) expect(isDocSlug(bad), bad).toBe(false);
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

describe("the repository's own documents", () => {
  it('link only to files that are in the repository', () => {
    const files = ['README.md', 'CONTRIBUTING.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
    const broken = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\]\(([^)\s]+)\)/g)]
        .map((m) => m[1].split('#')[0])
        .filter((href) => href && !/^[a-z]+:/.test(href))
        .filter((href) => {
          const target = normalize(join(dirname(file), href));
          return target.startsWith('..') || !existsSync(target);
        })
        .map((href) => `${file}: ${href}`),
    );
    expect(broken).toEqual([]);
  });

  it('name no internal document, erratum code, issue number or place outside the repository', () => {
    const files = ['README.md', 'CONTRIBUTING.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
    const found = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const outside = [...text.matchAll(/(?:\.\.\/shared|\/work\/)\S*/g)].map((m) => `${file}: outside the repository "${m[0]}"`);
      // The repository's own documents may name its files, as long as they exist; CONTRIBUTING's worked
      // example also names the files a newcomer would create.
      const refs = findInternalReferences(text).filter((f) => !(f.rule === 'source file path' && (existsSync(f.match) || file === 'CONTRIBUTING.md')));
      return [...outside, ...refs.map((f) => `${file}: ${f.rule} "${f.match}" in "${f.context}"`)];
    });
    expect(found).toEqual([]);
  });
});

function ids_(html: string): string[] {
  return [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
}
