import type { ExtensionRow, FluxRow, MeshRow } from './addons';
import type { ChainEvaluation } from './chain';
import type { ReleaseRow } from './releases';

/**
 * What a presenter must know before going live, in one line per problem: the releases that differ
 * from infra/, the AKS add-ons, extensions and Flux configurations that are not as infra/ expects, and
 * where each cluster's GitOps and secret chain breaks. Pure: the presenter view lists them beside
 * the contract, each line linking to the page with the evidence.
 */

export type Severity = 'broken' | 'warning' | 'unknown';

export interface ReadinessItem {
  cluster: string;
  severity: Severity;
  words: string;
}

interface ReleasesInput {
  name: string;
  status: 'ok' | 'stale' | 'failed';
  error?: { message: string };
  rows?: ReleaseRow[];
  addons?: { status: 'ok' | 'stale' | 'failed'; error?: { message: string }; mesh?: MeshRow; extensions?: ExtensionRow[]; flux?: FluxRow[] };
}

function releaseWords(r: ReleaseRow): string | null {
  const installed = r.installed?.chartVersion;
  switch (r.verdict) {
    case 'matches':
      return null;
    case 'drift':
      return `${r.release}: installed ${installed ?? '?'}, infra/ pins ${r.pinned ?? '?'}`;
    case 'missing':
      return `${r.release}: not installed (infra/ pins ${r.pinned ?? '?'})`;
    case 'failed':
      return `${r.release}: Helm status ${r.installed?.status ?? 'unknown'}`;
    case 'unpinned':
      return `${r.release}: installed ${installed ?? '?'}, not in infra/`;
  }
}

export function releaseIssues(clusters: readonly ReleasesInput[]): ReadinessItem[] {
  const out: ReadinessItem[] = [];
  for (const c of clusters) {
    if (c.status !== 'ok') out.push({ cluster: c.name, severity: 'unknown', words: `Helm releases ${c.status === 'stale' ? 'last read earlier; the refresh failed' : 'not read'}: ${c.error?.message ?? 'no answer'}` });
    for (const r of c.rows ?? []) {
      const words = releaseWords(r);
      if (words) out.push({ cluster: c.name, severity: r.verdict === 'unpinned' ? 'warning' : 'broken', words });
    }
    const a = c.addons;
    if (!a) continue;
    if (a.status === 'failed') {
      out.push({ cluster: c.name, severity: 'unknown', words: `AKS add-ons not read: ${a.error?.message ?? 'no answer'}` });
      continue;
    }
    for (const m of a.mesh?.revisions ?? []) {
      if (m.verdict === 'unsupported') out.push({ cluster: c.name, severity: 'broken', words: `Istio ${m.revision}: ${m.detail}` });
    }
    for (const e of a.extensions ?? []) {
      if (e.verdict !== 'ok') out.push({ cluster: c.name, severity: e.verdict === 'pending' ? 'warning' : 'broken', words: `extension ${e.name}: ${e.verdict}` });
    }
    for (const f of a.flux ?? []) {
      if (f.verdict !== 'compliant') out.push({ cluster: c.name, severity: f.verdict === 'pending' ? 'warning' : 'broken', words: `Flux configuration ${f.name}: ${f.verdict}` });
    }
  }
  return out;
}

export function chainIssues(clusters: readonly { name: string; chain: ChainEvaluation }[]): ReadinessItem[] {
  const out: ReadinessItem[] = [];
  for (const c of clusters) {
    const { chain } = c;
    if (chain.verdict === 'ok') continue;
    const first = chain.firstBroken ? chain.links.find((l) => l.id === chain.firstBroken) : chain.links.find((l) => l.verdict === chain.verdict);
    if (!first) continue;
    const after = chain.firstBroken ? chain.links.filter((l) => l.dependsOn === chain.firstBroken).length : 0;
    const verb = chain.verdict === 'broken' ? 'breaks at' : chain.verdict === 'warning' ? 'warns at' : 'cannot tell at';
    out.push({ cluster: c.name, severity: chain.verdict, words: `chain ${verb} ${first.label}${after ? ` (${after} link${after === 1 ? '' : 's'} after it depend on it)` : ''}` });
  }
  return out;
}
