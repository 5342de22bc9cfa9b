'use server';

import { defineAction } from '@/lib/actions/safe-action';
import { cordonZone, cordonZoneInput, evictSpotNode, evictSpotNodeInput, restoreZone, restoreZoneInput, runScenario, scenarioInput } from '@/lib/zones';

const outcome = (r: { outcome: string }[]) => (r.some((x) => x.outcome === 'failed') ? 'failed' : 'ok');

export const cordonZoneAction = defineAction({
  name: 'zone.cordon',
  role: 'Operator',
  input: cordonZoneInput,
  target: (i) => `${i.cluster}/zone-${i.zone}`,
  run: ({ input }) => cordonZone(input),
  resultOf: outcome,
});

export const restoreZoneAction = defineAction({
  name: 'zone.restore',
  role: 'Operator',
  input: restoreZoneInput,
  target: (i) => `${i.cluster}/zone-${i.zone}`,
  run: ({ input }) => restoreZone(input),
  resultOf: outcome,
});

/** Azure's simulated Spot eviction of one node's VM: the same call on the twin and on Azure. */
export const evictSpotNodeAction = defineAction({
  name: 'spot.evict',
  role: 'Operator',
  input: evictSpotNodeInput,
  target: (i) => `${i.cluster}/${i.node ?? 'first-ready-spot-node'}`,
  run: ({ input }) => evictSpotNode(input),
});

/** Injected faults with no Azure API (a zone outage): refused by lib/zones unless the target is the twin. */
export const runZoneScenario = defineAction({
  name: 'zone.scenario',
  role: 'Operator',
  input: scenarioInput,
  target: (i) => `${i.cluster}/zone-${i.zone}/${i.kind}`,
  run: ({ input }) => runScenario(input),
});
