import { readFileSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryFiles } from '../../test/outside-reads';
import { ensureTwinCertificates } from './cert';
import { defaultExtensions } from './extensions';
import { Twin } from './server';

/**
 * Keeps the compatibility table of lib/twin/README.md and the twin in step:
 * every Azure or Kubernetes call the product makes has a row, and each row,
 * sent to a twin, is answered as the row says (served / refused / not served).
 */
const ROOT = resolve(__dirname, '../..');
const SUB = '00000000-0000-4000-8000-00000000d3e0';

interface Row {
  operation: string;
  call: string;
  method: string;
  path: string;
  twin: string;
}

function table(): Row[] {
  const text = readFileSync(join(__dirname, 'README.md'), 'utf8');
  const lines = text.slice(text.indexOf('| Operation | Product call |')).split('\n').filter((l) => l.startsWith('| ')).slice(2);
  return lines.map((l) => {
    const cells = l.slice(2, -2).split(' | ').map((c) => c.trim());
    const [method, path] = cells[2].replace(/`/g, '').split(' ');
    return { operation: cells[0], call: cells[1].replace(/`/g, ''), method, path, twin: cells[3] };
  });
}

/** The product's modules (not the twin, not tests). */
function productSources(): { file: string; text: string }[] {
  return repositoryFiles(ROOT)
    .filter((f) => ['.ts', '.tsx'].includes(extname(f)) && !/\.test\.tsx?$/.test(f) && !f.startsWith(join('lib', 'twin') + sep) && !f.startsWith(`e2e${sep}`))
    .map((file) => ({ file, text: readFileSync(join(ROOT, file), 'utf8') }));
}

/** SDK and client-node calls: `containerService.managedClusters.get(`, `core.listNode(` … */
function productCalls(): Set<string> {
  const calls = new Set<string>();
  for (const { text } of productSources()) {
    for (const m of text.matchAll(/\b(containerService|kubernetesConfiguration|compute|consumption|resources|monitor)\.(\w+)\.(\w+)\(/g)) calls.add(`${m[1]}.${m[2]}.${m[3]}`);
    // Key Vault's management plane (lib/chain): its operation groups by name, as other modules call their own lists `keyVault`.
    for (const m of text.matchAll(/\bkeyVault\.(secrets|vaults)\.(\w+)\(/g)) calls.add(`keyVault.${m[1]}.${m[2]}`);
    for (const m of text.matchAll(/\b(metrics\.queryResources|logs\.queryWorkspace)\(/g)) calls.add(m[1]);
    if (!/getKubeClients/.test(text)) continue;
    for (const m of text.matchAll(/\b(core|apps|policy|custom|admission|rbac)\.(\w+)\(/g)) calls.add(`${m[1]}.${m[2]}`);
  }
  return calls;
}

/** REST calls made with `pathUnchecked`: the last literal segment of each path the module builds. */
function restSegments(): Set<string> {
  const out = new Set<string>();
  for (const { text } of productSources()) {
    if (!text.includes('pathUnchecked(') && !text.includes('alertsManagement')) continue;
    for (const m of text.matchAll(/providers\/(Microsoft\.\w+\/\w+)/g)) out.add(m[1]);
    for (const m of text.matchAll(/\$\{\w+\}\/([A-Za-z]+)[`'/]/g)) out.add(m[1]);
  }
  return out;
}

let twin: Twin;
let values: Record<string, string>;

beforeAll(async () => {
  const certs = await ensureTwinCertificates(resolve('data/test-twin'));
  // NAP profile: the stop probe is refused (AKS cannot stop a NAP cluster), so the API servers stay up for the rows after it.
  twin = new Twin({ key: certs.key, cert: certs.cert, ca: certs.ca, port: 0, profile: 'nap', clockSpeed: 600, subscriptionId: SUB, extensions: defaultExtensions() });
  await twin.listen();
  const common = 'rg-k8s-demo-common';
  values = {
    sub: SUB, rg: 'rg-k8s-demo-app1', cluster: 'aks-app1', pool: 'system', location: 'koreacentral', common,
    id: '00000000-0000-0000-0000-000000000000', instance: 'bi-app1', ns: 'demo', name: 'probe',
    vault: `/subscriptions/${SUB}/resourceGroups/${common}/providers/Microsoft.DataProtection/backupVaults/bv-k8s-demo`,
    k8s: twin.kubernetesServer('app1'),
    noderg: 'mc_rg-k8s-demo-app1_aks-app1_koreacentral', vmss: 'aks-probe-00000000-vmss', vm: 'aks-spot-workers-probe',
  };
});

afterAll(async () => {
  await twin.close();
});

function fill(path: string): string {
  let out = path;
  // {vault} first: it holds other placeholders.
  for (const key of ['vault', ...Object.keys(values)]) out = out.replaceAll(`{${key}}`, values[key]);
  return out.startsWith('/') ? `${twin.url}${out}` : out;
}

/** The twin's answer for a path it has no route for (ARM's and the Kubernetes API server's wording). */
function routeMiss(status: number, body: { error?: { message?: string }; message?: string } | undefined): boolean {
  const message = body?.error?.message ?? body?.message ?? '';
  return status === 404 && (/^No HTTP resource was found|^No route\.|could not be found in the twin/.test(message) || message === 'the server could not find the requested resource');
}

describe('the twin’s compatibility table', () => {
  it('has a row for every Azure and Kubernetes call the product makes', () => {
    const rows = table();
    const listed = rows.map((r) => r.call).join('\n');
    const calls = [...productCalls()];
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.filter((c) => !listed.includes(c))).toEqual([]);
    const requests = rows.map((r) => r.path).join('\n');
    const rest = [...restSegments()];
    expect(rest).toContain('backupJobs');
    expect(rest.filter((s) => !requests.includes(s))).toEqual([]);
  });

  it('every row is answered as the table says', async () => {
    const rows = table();
    expect(rows.length).toBeGreaterThan(40);
    const wrong: string[] = [];
    for (const row of rows) {
      const headers: Record<string, string> = { Authorization: 'Bearer twin-demo-token', 'Content-Type': row.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' };
      const res = await fetch(fill(row.path), { method: row.method, headers, body: row.method === 'GET' || row.method === 'DELETE' ? undefined : '{}' });
      const text = await res.text();
      let body: { error?: { code?: string; message?: string }; message?: string; reason?: string } | undefined;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const miss = routeMiss(res.status, body);
      const refused = /^refused: (\d{3}) (\w+)/.exec(row.twin);
      if (row.twin === 'served' && (miss || res.status === 405 || res.status >= 500)) wrong.push(`${row.operation}: served, but ${res.status} ${text.slice(0, 160)}`);
      else if (refused && (res.status !== Number(refused[1]) || (body?.error?.code ?? body?.reason) !== refused[2])) wrong.push(`${row.operation}: ${row.twin}, but ${res.status} ${text.slice(0, 160)}`);
      else if (row.twin === 'not served' && !miss) wrong.push(`${row.operation}: not served, but ${res.status}`);
      else if (!['served', 'not served'].includes(row.twin) && !refused) wrong.push(`${row.operation}: unknown status "${row.twin}"`);
    }
    expect(wrong).toEqual([]);
  });
});
