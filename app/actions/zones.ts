'use server';

import { defineAction } from '@/lib/actions/safe-action';
import { cordonZone, cordonZoneInput, restoreZone, restoreZoneInput, runScenario, scenarioInput } from '@/lib/zones';

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

/** Injected faults: refused by lib/zones unless the target is the twin. */
export const runZoneScenario = defineAction({
  name: 'zone.scenario',
  role: 'Operator',
  input: scenarioInput,
  target: (i) => `${i.cluster}/zone-${i.zone}/${i.kind}`,
  run: ({ input }) => runScenario(input),
});
