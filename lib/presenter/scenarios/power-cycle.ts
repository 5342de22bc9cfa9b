import 'server-only';
import type { z } from 'zod';
import type { scenarioSchema } from '../../domain/scenario';

/** Power a cluster down between sessions and back up: what it saves, and how long waking takes. */
const scenario: z.input<typeof scenarioSchema> = {
  id: 'power-cycle',
  title: 'Power cycle',
  summary: 'Put a cluster to sleep (its Spot workers and ingress pool go to zero, the system pool to its minimum) and wake it again, step by step with its progress.',
  rtoSource: 'No recovery objective: the stopwatch times how long the wake-up takes, to plan the time before a session.',
  params: { cluster: 'app1' },
  steps: [
    {
      id: 'baseline',
      title: '$cluster is running',
      notes: 'The budget page shows what the environment costs per hour while it runs; sleeping between sessions is where most of the saving comes from.',
      waitFor: [{ kind: 'power', cluster: '$cluster', phase: 'running' }],
      timeoutS: 120,
    },
    {
      id: 'sleep',
      title: 'Put $cluster to sleep',
      notes: 'Workloads on Spot nodes are scaled to zero with their replicas remembered, the Karpenter NodePool is frozen, and the node pools shrink through ARM. The overview shows each step.',
      run: { command: 'cluster.sleep', input: { cluster: '$cluster' } },
      waitFor: [{ kind: 'power', cluster: '$cluster', phase: 'down' }],
      timeoutS: 1_200,
    },
    {
      id: 'wake',
      title: 'Wake $cluster',
      notes: 'The reverse order, each step waiting for readiness. The stopwatch times the wake-up.',
      run: { command: 'cluster.wake', input: { cluster: '$cluster' } },
      disruptive: true,
      waitFor: [{ kind: 'power', cluster: '$cluster', phase: 'running' }],
      timeoutS: 1_800,
    },
  ],
  recovery: [{ kind: 'power', cluster: '$cluster', phase: 'running' }, { kind: 'nodes-ready', cluster: '$cluster' }, { kind: 'pods-running', cluster: '$cluster' }],
  wayBack: ['wake'],
};

export default scenario;
