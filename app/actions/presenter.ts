'use server';

import { defineAction } from '@/lib/actions/safe-action';
import { abandonScenario, runInput, runNextStep, runWayBack, startInput, startScenario, toggleScenarioStopwatch } from '@/lib/presenter';

/** A presenter starts a scenario: one run at a time, stored with everything that happens in it. */
export const startScenarioAction = defineAction({
  name: 'presenter.start',
  role: 'Operator',
  input: startInput,
  target: (i) => [i.scenario, i.cluster, i.zone && `zone-${i.zone}`].filter(Boolean).join('/'),
  run: ({ actor, input }) => startScenario(actor, input),
});

/** The next step: its command through the same function as the product's own button; audited like it. */
export const runStepAction = defineAction({
  name: 'presenter.step',
  role: 'Operator',
  input: runInput,
  target: (i) => `run/${i.id}`,
  run: ({ actor, input }) => runNextStep(actor, input),
  resultOf: (r) => (r.ok ? 'ok' : 'failed'),
});

export const toggleStopwatchAction = defineAction({
  name: 'presenter.stopwatch',
  role: 'Operator',
  input: runInput,
  target: (i) => `run/${i.id}`,
  run: ({ actor, input }) => toggleScenarioStopwatch(actor, input),
});

export const abandonScenarioAction = defineAction({
  name: 'presenter.abandon',
  role: 'Operator',
  input: runInput,
  target: (i) => `run/${i.id}`,
  run: ({ actor, input }) => abandonScenario(actor, input),
});

/** After a failed or stopped run: the scenario's way back (such as restoring the zone), run once. */
export const wayBackAction = defineAction({
  name: 'presenter.way-back',
  role: 'Operator',
  input: runInput,
  target: (i) => `run/${i.id}`,
  run: ({ actor, input }) => runWayBack(actor, input),
  resultOf: (r) => (r.ok ? 'ok' : 'failed'),
});
