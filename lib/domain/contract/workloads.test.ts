import { describe, expect, it } from 'vitest';
import { reloaderAnnotated, runsOnSpot, spotWorkloadsOf, type WorkloadShape } from './workloads';

const SPOT = { key: 'kubernetes.azure.com/scalesetpriority', operator: 'Equal', value: 'spot' };

function deployment(name: string, over: { tolerations?: (typeof SPOT)[]; spread?: boolean; annotations?: Record<string, string> } = {}): WorkloadShape {
  return {
    metadata: { name, namespace: 'demo', annotations: over.annotations },
    spec: {
      template: {
        metadata: { labels: { app: name } },
        spec: {
          tolerations: over.tolerations ?? [SPOT],
          topologySpreadConstraints: over.spread === false ? [] : [{ topologyKey: 'topology.kubernetes.io/zone' }],
        },
      },
    },
  };
}

const pdbFor = (app: string, namespace = 'demo') => ({ metadata: { namespace }, spec: { selector: { matchLabels: { app } } } });

describe('spotWorkloadsOf', () => {
  it('keeps the workloads that tolerate the Spot taint, each with its PDB and zone spread', () => {
    const ws = [deployment('web'), deployment('api', { spread: false }), deployment('system', { tolerations: [] })];
    expect(spotWorkloadsOf(ws, [pdbFor('web')])).toEqual([
      { name: 'demo/web', pdb: true, zoneSpread: true },
      { name: 'demo/api', pdb: false, zoneSpread: false },
    ]);
  });
  it('a PDB in another namespace, or with an empty selector, does not cover the workload', () => {
    expect(spotWorkloadsOf([deployment('web')], [pdbFor('web', 'other'), { metadata: { namespace: 'demo' }, spec: { selector: { matchLabels: {} } } }])[0].pdb).toBe(false);
  });
  it('a Spot node selector counts as running on Spot', () => {
    expect(runsOnSpot({ spec: { template: { spec: { nodeSelector: { 'kubernetes.azure.com/scalesetpriority': 'spot' } } } } })).toBe(true);
  });
});

describe('reloaderAnnotated', () => {
  it('names the workloads Reloader restarts', () => {
    expect(reloaderAnnotated([deployment('web', { annotations: { 'reloader.stakater.com/auto': 'true' } }), deployment('api')])).toEqual(['demo/web']);
  });
});
