'use server';

import { defineAction } from '@/lib/actions/safe-action';
import { clusterInput, environmentInput, powerCluster, powerEnvironment } from '@/lib/power';

export const stopCluster = defineAction({
  name: 'cluster.stop',
  role: 'Operator',
  input: clusterInput,
  target: (i) => i.cluster,
  run: ({ actor, input }) => powerCluster(actor, 'stop', input.cluster),
  resultOf: () => 'accepted',
});

export const startCluster = defineAction({
  name: 'cluster.start',
  role: 'Operator',
  input: clusterInput,
  target: (i) => i.cluster,
  run: ({ actor, input }) => powerCluster(actor, 'start', input.cluster),
  resultOf: () => 'accepted',
});

export const stopEnvironment = defineAction({
  name: 'environment.stop',
  role: 'Operator',
  input: environmentInput,
  target: () => 'environment',
  run: ({ actor }) => powerEnvironment(actor, 'stop'),
  resultOf: (r) => (r.some((x) => x.outcome === 'failed') ? 'failed' : 'accepted'),
});

export const startEnvironment = defineAction({
  name: 'environment.start',
  role: 'Operator',
  input: environmentInput,
  target: () => 'environment',
  run: ({ actor }) => powerEnvironment(actor, 'start'),
  resultOf: (r) => (r.some((x) => x.outcome === 'failed') ? 'failed' : 'accepted'),
});
