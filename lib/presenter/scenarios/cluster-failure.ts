import 'server-only';
import type { z } from 'zod';
import type { scenarioSchema } from '../../domain/scenario';

/** A cluster's workloads lost and restored from its latest AKS Backup recovery point. */
const scenario: z.input<typeof scenarioSchema> = {
  id: 'cluster-failure',
  title: 'Cluster failure',
  summary: 'Restore a cluster’s workloads from its latest AKS Backup recovery point, the way the environment recovers a lost cluster, and prove it serves again.',
  rtoMinutes: 30,
  rtoSource: 'The architecture expects about 30 minutes to recover a cluster: recreate it with tofu apply, then restore its workloads from AKS Backup.',
  params: { cluster: 'app2' },
  steps: [
    {
      id: 'baseline',
      title: 'The cluster runs and has a recovery point',
      notes: 'The backup vault keeps a daily recovery point of every cluster (the RPO is 24 hours). The backup page lists them.',
      waitFor: [{ kind: 'power', cluster: '$cluster', phase: 'running' }, { kind: 'nodes-ready', cluster: '$cluster' }],
      timeoutS: 120,
    },
    {
      id: 'restore',
      title: 'Restore $cluster from its latest recovery point',
      notes: 'This starts a restore through the Data Protection API into the same cluster. The stopwatch starts now and runs against the 30-minute RTO.',
      run: { command: 'backup.restore', input: { cluster: '$cluster' } },
      disruptive: true,
      waitFor: [{ kind: 'restore-succeeded', cluster: '$cluster' }],
      timeoutS: 1_800,
    },
    {
      id: 'serving',
      title: 'Every pod Running, the entry answering',
      notes: 'The restore job completed; the workloads run and the public entry answers.',
      waitFor: [{ kind: 'pods-running', cluster: '$cluster' }, { kind: 'probe' }],
      timeoutS: 600,
    },
  ],
  recovery: [{ kind: 'restore-succeeded', cluster: '$cluster' }, { kind: 'pods-running', cluster: '$cluster' }, { kind: 'probe' }],
};

export default scenario;
