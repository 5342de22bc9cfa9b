import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { summarizeCluster, type NodeFacts } from '@/lib/domain/zones';
import type { ClusterZonesTile } from '@/lib/zones';
import { EnvironmentPicture } from './environment-picture';

const node = (name: string, zone: '1' | '2' | '3', extra: Partial<NodeFacts> = {}): NodeFacts => ({
  name, zone, pool: 'system', capacity: 'regular', ready: 'True', cordoned: false, ingress: false, nap: false, ...extra,
});
const view = summarizeCluster([node('a', '1'), node('b', '2', { cordoned: true }), node('c', '3', { ready: 'False' }), node('d', '1', { capacity: 'spot' })], []);

describe('the presenter’s picture of the environment', () => {
  it('marks each node by its state, and shows a failing cluster as failed and a stale one with its age', () => {
    const now = 1_000_000;
    const tiles: ClusterZonesTile[] = [
      { key: 'mgmt', name: 'aks-mgmt', status: 'ok', view, fetchedAt: now, source: 'watch' },
      { key: 'app1', name: 'aks-app1', status: 'stale', view, fetchedAt: now - 120_000, source: 'watch', error: { kind: 'upstream', message: 'The Kubernetes API of aks-app1 did not answer' } },
      { key: 'app2', name: 'aks-app2', status: 'failed', source: 'watch', error: { kind: 'upstream', message: 'The Kubernetes API of aks-app2 could not be reached' } },
    ];
    const html = renderToStaticMarkup(createElement(EnvironmentPicture, { tiles, now }));
    expect(html).toContain('data-mark="ready"');
    expect(html).toContain('data-mark="spot"');
    expect(html).toContain('data-mark="cordoned"');
    expect(html).toContain('data-mark="not-ready"');
    expect(html).toContain('As of 2 min ago: The Kubernetes API of aks-app1 did not answer');
    expect(html).toContain('The Kubernetes API of aks-app2 could not be reached');
    expect(html).toMatch(/data-status="failed"/);
  });
});
