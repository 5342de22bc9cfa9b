import { createHash } from 'node:crypto';
import type { K8sEvent, K8sObject } from '../types';
import { TIMINGS, iso } from './shared';
import type { ClusterModel } from '.';

/** Kubernetes events: recorded, de-duplicated by count, expired after an hour. */

export function event(m: ClusterModel, obj: K8sObject, reason: string, message: string, type: 'Normal' | 'Warning', component: string): void {
  if (m.seeding) return;
  const ns = obj.metadata.namespace ?? 'default';
  const t = iso(m.time);
  const same = m.store.list<K8sEvent>('events', ns).find((e) => e.involvedObject.uid === obj.metadata.uid && e.reason === reason && e.message === message);
  if (same) {
    m.store.mutate('events', same, (e) => { e.count += 1; e.lastTimestamp = t; });
    return;
  }
  const ev: K8sEvent = {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `${obj.metadata.name}.${createHash('sha256').update(`${obj.metadata.uid}:${reason}:${m.counter++}`).digest('hex').slice(0, 16)}`, namespace: ns, uid: '', resourceVersion: '', creationTimestamp: '' },
    involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid },
    reason, message, type, source: { component }, firstTimestamp: t, lastTimestamp: t, eventTime: null, count: 1, reportingComponent: component, reportingInstance: '',
  };
  m.store.create('events', ev, m.time);
}

export function expireEvents(m: ClusterModel): void {
  for (const e of m.store.list<K8sEvent>('events')) if (Date.parse(e.lastTimestamp) + TIMINGS.eventTtlMs < m.time) m.store.remove('events', e);
}
