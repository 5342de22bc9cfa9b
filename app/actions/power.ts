'use server';

import { z } from 'zod';
import { printableText } from '@/lib/domain/text';
import { toUserError } from '@/lib/errors';
import { defineAction } from '@/lib/actions/safe-action';
import { CLUSTER_KEYS } from '@/lib/config';
import { clusterInput, powerCluster, powerEnvironment } from '@/lib/power';
import { recreateBastion, removeBastion } from '@/lib/power/bastion';
import { rebuildEnvironment, tearDownEnvironment } from '@/lib/power/teardown';

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

/** A power action still reading its clusters after this long (a slow Azure) answers "in progress" and goes on; the overview shows its runs. */
const SLOW_ANSWER_MS = 4000;
const inProgress = (clusters: readonly string[]) =>
  clusters.map((cluster) => ({ cluster, outcome: 'in progress', reason: 'Azure is answering slowly; this goes on, and its progress shows on the overview' }));

const outcomeOf = (r: { outcome: string }[]): 'failed' | 'ok' | 'accepted' => (r.some((x) => x.outcome === 'failed') ? 'failed' : r.every((x) => x.outcome === 'no-op') ? 'ok' : 'accepted');

/** Sleep one NAP cluster (AKS refuses to stop it): its plan, run step by step. */
export const sleepCluster = defineAction({
  name: 'cluster.sleep',
  role: 'Operator',
  input: z.object({ cluster: z.enum(CLUSTER_KEYS), freeTier: z.boolean().default(false) }),
  target: (i) => i.cluster,
  run: ({ actor, input }) => powerEnvironment(actor, 'stop', [input.cluster], { freeTierWhileAsleep: input.freeTier }),
  resultOf: outcomeOf,
  answerWithin: { ms: SLOW_ANSWER_MS, pending: (i) => inProgress([i.cluster]) },
});

export const wakeCluster = defineAction({
  name: 'cluster.wake',
  role: 'Operator',
  input: clusterInput,
  target: (i) => i.cluster,
  run: ({ actor, input }) => powerEnvironment(actor, 'start', [input.cluster]),
  resultOf: outcomeOf,
  answerWithin: { ms: SLOW_ANSWER_MS, pending: (i) => inProgress([i.cluster]) },
});

const powerDownInput = z.object({ freeTier: z.boolean().default(false), removeBastion: z.boolean().default(false) });

/** "Power down": every cluster on its own plan, in parallel; Bastion removed if asked. */
export const powerDownEnvironment = defineAction({
  name: 'environment.power-down',
  role: 'Operator',
  input: powerDownInput,
  target: () => 'environment',
  run: async ({ actor, input }) => {
    const [clusters, bastion] = await Promise.all([
      powerEnvironment(actor, 'stop', CLUSTER_KEYS, { freeTierWhileAsleep: input.freeTier }),
      input.removeBastion ? removeBastion(actor).catch((e: unknown) => ({ outcome: 'failed' as const, reason: toUserError(e).message })) : null,
    ]);
    return bastion ? [...clusters, { cluster: 'bastion', ...bastion }] : clusters;
  },
  resultOf: outcomeOf,
  answerWithin: { ms: SLOW_ANSWER_MS, pending: () => inProgress(CLUSTER_KEYS) },
});

/** "Power up": every cluster woken or started; Bastion recreated if it was removed. */
export const powerUpEnvironment = defineAction({
  name: 'environment.power-up',
  role: 'Operator',
  input: z.object({}),
  target: () => 'environment',
  run: async ({ actor }) => {
    const [clusters, bastion] = await Promise.all([
      powerEnvironment(actor, 'start'),
      recreateBastion(actor).catch((e: unknown) => ({ outcome: 'failed' as const, reason: toUserError(e).message })),
    ]);
    return [...clusters, { cluster: 'bastion', ...bastion }];
  },
  answerWithin: { ms: SLOW_ANSWER_MS, pending: () => inProgress(CLUSTER_KEYS) },
  resultOf: outcomeOf,
});

/** Tear down (pattern A) through the jobs capability: Admin, the environment's name typed. */
export const tearDown = defineAction({
  name: 'environment.tear-down',
  role: 'Admin',
  input: z.object({ confirm: printableText(200) }),
  target: () => 'environment',
  run: ({ actor, input }) => tearDownEnvironment(actor, input.confirm),
  resultOf: () => 'accepted',
});

/** Wake from a tear-down: tofu plan → tofu apply of that plan → add-on install, as Jobs (Admin). */
export const rebuild = defineAction({
  name: 'environment.rebuild',
  role: 'Admin',
  input: z.object({}),
  target: () => 'environment',
  run: ({ actor }) => rebuildEnvironment(actor),
  resultOf: () => 'accepted',
});
