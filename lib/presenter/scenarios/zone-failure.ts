import 'server-only';
import type { z } from 'zod';
import type { scenarioSchema } from '../../domain/scenario';

/** A zone lost: every cluster's nodes in one zone cordoned and drained; the other two zones keep serving. */
const scenario: z.input<typeof scenarioSchema> = {
  id: 'zone-failure',
  title: 'Zone failure',
  summary: 'Take one Korea Central zone out of every cluster. Pods move to the other two zones, the ingress gateways in those zones keep answering, and the zone comes back.',
  rtoMinutes: 5,
  rtoSource: 'The architecture expects about 5 minutes for a zone failure: Karpenter places nodes in the other zones and the ingress fails over on its own.',
  params: { zone: '1' },
  steps: [
    {
      id: 'baseline',
      title: 'Everything is healthy',
      notes: 'Three clusters, three zones each. Every node is Ready, every pod Running, and the demo application answers through its public entry. The probe on the right has been running since the page opened.',
      waitFor: [{ kind: 'nodes-ready' }, { kind: 'pods-running' }, { kind: 'gateways-ready' }, { kind: 'probe' }],
      timeoutS: 120,
    },
    {
      id: 'take-zone-out',
      title: 'Lose zone $zone',
      notes: 'This cordons every node of the zone and drains it the way kubectl drain does, through the Eviction API so PodDisruptionBudgets hold; node auto-provisioning is kept out of the zone. The stopwatch starts now.',
      run: { command: 'zone.cordon', input: { cluster: 'all', zone: '$zone', drain: true } },
      disruptive: true,
      waitFor: [{ kind: 'zone-drained', zone: '$zone' }],
      timeoutS: 300,
    },
    {
      id: 'still-serving',
      title: 'Pods run in the other zones; requests keep being served',
      notes: 'Watch the marks: zone $zone is grey, its pods came back in the other two zones. The probe never stopped answering. The stopwatch stops when every recovery check is green.',
      waitFor: [{ kind: 'pods-running' }, { kind: 'gateways-ready' }, { kind: 'probe' }],
      timeoutS: 300,
    },
    {
      id: 'restore-zone',
      title: 'Bring zone $zone back',
      notes: 'Nodes become schedulable again and the zone returns to the NodePools. Kubernetes does not move running pods back: new pods spread over the zones as they are created.',
      run: { command: 'zone.restore', input: { cluster: 'all', zone: '$zone' } },
      waitFor: [{ kind: 'nodes-ready' }],
      timeoutS: 120,
    },
  ],
  recovery: [{ kind: 'pods-running' }, { kind: 'gateways-ready' }, { kind: 'probe' }],
  wayBack: ['restore-zone'],
};

export default scenario;
