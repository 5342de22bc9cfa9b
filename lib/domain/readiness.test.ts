import { describe, expect, it } from 'vitest';
import { chainIssues, releaseIssues } from './readiness';
import type { ReleaseRow } from './releases';
import type { ChainEvaluation, ChainLink } from './chain';

const installed = (chartVersion: string, status = 'deployed') => ({ name: 'x', namespace: 'x', revision: 2, status, chart: 'x', chartVersion });
const row = (over: Partial<ReleaseRow>): ReleaseRow => ({ namespace: 'ns', release: 'kyverno', chart: 'kyverno', verdict: 'matches', pinned: '3.8.2', installed: installed('3.8.2'), ...over });

describe('what a presenter must fix before going live', () => {
  it('a cluster as infra/ pins it says nothing; each drift, missing, failed or unpinned release is one line', () => {
    const ok = { name: 'aks-mgmt', status: 'ok' as const, rows: [row({})], addons: { status: 'ok' as const, extensions: [{ name: 'flux', verdict: 'ok' as const, expected: true }], flux: [{ name: 'gitops-config', verdict: 'compliant' as const, expected: true }] } };
    expect(releaseIssues([ok])).toEqual([]);
    const app1 = {
      name: 'aks-app1',
      status: 'ok' as const,
      rows: [
        row({ verdict: 'drift', installed: installed('3.9.0') }),
        row({ release: 'vpa', verdict: 'missing', installed: undefined, pinned: '5.0.0' }),
        row({ release: 'reloader', verdict: 'failed', installed: installed('2.2.16', 'failed') }),
        row({ release: 'extra', verdict: 'unpinned', pinned: undefined, installed: installed('1.0.0') }),
      ],
    };
    expect(releaseIssues([ok, app1])).toEqual([
      { cluster: 'aks-app1', severity: 'broken', words: 'kyverno: installed 3.9.0, infra/ pins 3.8.2' },
      { cluster: 'aks-app1', severity: 'broken', words: 'vpa: not installed (infra/ pins 5.0.0)' },
      { cluster: 'aks-app1', severity: 'broken', words: 'reloader: Helm status failed' },
      { cluster: 'aks-app1', severity: 'warning', words: 'extra: installed 1.0.0, not in infra/' },
    ]);
  });

  it('a failed extension, a non-compliant Flux configuration, an unsupported mesh revision and unread clusters are named', () => {
    const items = releaseIssues([
      {
        name: 'aks-app2',
        status: 'failed',
        error: { message: 'etcd is down' },
        addons: {
          status: 'ok',
          mesh: { verdict: 'unsupported', revisions: [{ revision: 'asm-1-24', verdict: 'unsupported', detail: 'not offered for Kubernetes 1.35' }] },
          extensions: [{ name: 'azure-aks-backup', verdict: 'failed', expected: true }],
          flux: [{ name: 'gitops-config', verdict: 'non-compliant', expected: true }],
        },
      },
      { name: 'aks-mgmt', status: 'ok', rows: [], addons: { status: 'failed', error: { message: 'ARM said 503' } } },
    ]);
    expect(items).toEqual([
      { cluster: 'aks-app2', severity: 'unknown', words: 'Helm releases not read: etcd is down' },
      { cluster: 'aks-app2', severity: 'broken', words: 'Istio asm-1-24: not offered for Kubernetes 1.35' },
      { cluster: 'aks-app2', severity: 'broken', words: 'extension azure-aks-backup: failed' },
      { cluster: 'aks-app2', severity: 'broken', words: 'Flux configuration gitops-config: non-compliant' },
      { cluster: 'aks-mgmt', severity: 'unknown', words: 'AKS add-ons not read: ARM said 503' },
    ]);
  });

  it('the chain names the first broken link and how many links depend on it; a whole chain says nothing', () => {
    const link = (id: ChainLink['id'], label: string, verdict: ChainLink['verdict'], dependsOn?: ChainLink['id']): ChainLink => ({ id, label, object: id, verdict, evidence: [], times: [], ...(dependsOn && { dependsOn }) });
    const whole: ChainEvaluation = { role: 'none', verdict: 'ok', links: [link('git', 'Git source', 'ok')] };
    const broken: ChainEvaluation = {
      role: 'issues', verdict: 'broken', firstBroken: 'pushsecret',
      links: [link('git', 'Git source', 'ok'), link('pushsecret', 'Push to Key Vault', 'broken'), link('keyvault', 'Key Vault', 'ok', 'pushsecret'), link('store', 'Secret store', 'ok', 'pushsecret')],
    };
    const warning: ChainEvaluation = { role: 'issues', verdict: 'warning', links: [link('git', 'Git source', 'ok'), link('certificate', 'Certificate', 'warning')] };
    expect(chainIssues([{ name: 'aks-app2', chain: whole }, { name: 'aks-mgmt', chain: broken }, { name: 'aks-app1', chain: warning }])).toEqual([
      { cluster: 'aks-mgmt', severity: 'broken', words: 'chain breaks at Push to Key Vault (2 links after it depend on it)' },
      { cluster: 'aks-app1', severity: 'warning', words: 'chain warns at Certificate' },
    ]);
  });
});
