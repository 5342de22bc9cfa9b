'use server';

import { defineAction } from '@/lib/actions/safe-action';
import { createShareLink, revokeShareInput, revokeShareLink, shareInput } from '@/lib/auth';
import { abandonScenario, runInput, runNextStep, runWayBack, startInput, startScenario, toggleScenarioStopwatch } from '@/lib/presenter';

/** How long a step's action waits for its command before it answers "running" (the page must not wait on it). */
const STEP_ANSWER_MS = 1_500;

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
  // A long command (a drain held by a PodDisruptionBudget, a restore, a sleep) answers "running" and goes on;
  // the stage follows the run, and the audit records the step when it ends.
  answerWithin: { ms: STEP_ANSWER_MS, pending: () => ({ step: 'current', ok: true, detail: 'running; the stage shows its progress' }) },
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
  answerWithin: { ms: STEP_ANSWER_MS, pending: () => ({ ok: true, detail: 'running; the stage shows its progress' }) },
});

/** A link to the audience screen for people without an account here: that screen only, until it expires. */
export const shareAudienceAction = defineAction({
  name: 'presenter.share',
  role: 'Operator',
  input: shareInput,
  target: (i) => `audience-link/${i.hours}h`,
  run: ({ actor, input }) => createShareLink(actor, input),
});

export const revokeShareAction = defineAction({
  name: 'presenter.unshare',
  role: 'Operator',
  input: revokeShareInput,
  target: (i) => `audience-link/${i.id.slice(0, 12)}`,
  run: ({ input }) => revokeShareLink(input),
});
