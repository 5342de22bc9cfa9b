import 'server-only';
import type { z } from 'zod';
import type { scenarioSchema } from '../../domain/scenario';

/** A Spot node evicted: Azure takes the VM back, Karpenter provisions a replacement, the pods run again. */
const scenario: z.input<typeof scenarioSchema> = {
  id: 'spot-eviction',
  title: 'Spot eviction',
  summary: 'Azure evicts a Spot node of one cluster. Karpenter sees the pods it left, provisions a replacement node, and the pods run again while the demo application keeps answering.',
  rtoMinutes: 5,
  rtoSource: 'The architecture expects about 5 minutes for a Spot eviction: a new node Ready and every pod Running.',
  params: { cluster: 'app1' },
  steps: [
    {
      id: 'baseline',
      title: 'The cluster is healthy',
      notes: 'Worker pods run on Spot nodes, about a fifth of the on-demand price; the system and ingress pools stay on regular VMs so that an eviction never takes the entry point.',
      waitFor: [{ kind: 'nodes-ready', cluster: '$cluster' }, { kind: 'pods-running', cluster: '$cluster' }, { kind: 'probe' }],
      timeoutS: 120,
    },
    {
      id: 'evict',
      title: 'Evict a Spot node of $cluster',
      notes: 'This asks Azure to simulate the eviction of the node’s virtual machine, exactly what happens when Azure needs the capacity back. The stopwatch starts now.',
      run: { command: 'spot.evict', input: { cluster: '$cluster' } },
      disruptive: true,
      timeoutS: 60,
    },
    {
      id: 'replacement',
      title: 'Karpenter provisions a replacement node',
      notes: 'The evicted node’s pods are Pending; Karpenter creates a NodeClaim for them and a new Spot node joins the cluster.',
      waitFor: [{ kind: 'spot-replaced', cluster: '$cluster' }],
      timeoutS: 300,
    },
    {
      id: 'pods-back',
      title: 'Every pod is Running again',
      notes: 'PodDisruptionBudgets and topology spread kept enough replicas serving throughout; the probe shows the answers the audience would have seen.',
      waitFor: [{ kind: 'pods-running', cluster: '$cluster' }, { kind: 'probe' }],
      timeoutS: 300,
    },
  ],
  recovery: [{ kind: 'spot-replaced', cluster: '$cluster' }, { kind: 'pods-running', cluster: '$cluster' }, { kind: 'probe' }],
};

export default scenario;
