'use server';

import { defineAction } from '@/lib/actions/safe-action';
import { applyAddonPlan, cancelInput, cancelJob as cancel, forceUnlock, forceUnlockInput, jobInputs, startJob } from '@/lib/jobs';

// jobs.plan (Operator): plan, init, dry run, verify, an add-on's plan. jobs.apply (Admin): apply, destroy, install,
// an add-on plan's apply, force unlock.

export const planInfrastructure = defineAction({
  name: 'jobs.plan',
  role: 'Operator',
  input: jobInputs.none,
  target: () => 'tofu plan',
  run: ({ actor }) => startJob(actor, { kind: 'tofu-plan' }),
  resultOf: () => 'accepted',
});

export const initInfrastructure = defineAction({
  name: 'jobs.init',
  role: 'Operator',
  input: jobInputs.none,
  target: () => 'tofu init',
  run: ({ actor }) => startJob(actor, { kind: 'tofu-init' }),
  resultOf: () => 'accepted',
});

export const dryRunAddOns = defineAction({
  name: 'jobs.addons-dry-run',
  role: 'Operator',
  input: jobInputs.clusterTarget,
  target: (i) => `install.sh --cluster ${i.cluster} --dry-run`,
  run: ({ actor, input }) => startJob(actor, { kind: 'addons-dry-run', cluster: input.cluster }),
  resultOf: () => 'accepted',
});

export const verifyClusters = defineAction({
  name: 'jobs.verify-clusters',
  role: 'Operator',
  input: jobInputs.cluster,
  target: (i) => `verify-clusters ${i.cluster}`,
  run: ({ actor, input }) => startJob(actor, { kind: 'verify-clusters', cluster: input.cluster }),
  resultOf: () => 'accepted',
});

export const installAddOns = defineAction({
  name: 'jobs.addons-install',
  role: 'Admin',
  input: jobInputs.clusterTarget,
  target: (i) => `install.sh --cluster ${i.cluster}`,
  run: ({ actor, input }) => startJob(actor, { kind: 'addons-install', cluster: input.cluster }),
  resultOf: () => 'accepted',
});

export const planAddOn = defineAction({
  name: 'jobs.addon-plan',
  role: 'Operator',
  input: jobInputs.addon,
  target: (i) => `install.sh --cluster ${i.cluster} --step ${i.addon} --plan`,
  run: ({ actor, input }) => startJob(actor, { kind: 'addon-plan', cluster: input.cluster, addon: input.addon }),
  resultOf: () => 'accepted',
});

export const applyAddOnPlan = defineAction({
  name: 'jobs.addon-apply',
  role: 'Admin',
  input: jobInputs.plan,
  target: (i) => `add-on apply (plan ${i.planJobId})`,
  run: ({ actor, input }) => applyAddonPlan(actor, input.planJobId),
  resultOf: () => 'accepted',
});

export const applyPlan = defineAction({
  name: 'jobs.apply',
  role: 'Admin',
  input: jobInputs.plan,
  target: (i) => `tofu apply (plan ${i.planJobId})`,
  run: ({ actor, input }) => startJob(actor, { kind: 'tofu-apply', planJobId: input.planJobId }),
  resultOf: () => 'accepted',
});

export const destroyEnvironment = defineAction({
  name: 'jobs.destroy',
  role: 'Admin',
  input: jobInputs.destroy,
  target: () => 'tofu destroy',
  run: ({ actor, input }) => startJob(actor, { kind: 'tofu-destroy', confirm: input.confirm }),
  resultOf: () => 'accepted',
});

export const cancelJob = defineAction({
  name: 'jobs.cancel',
  role: 'Operator',
  input: cancelInput,
  target: (i) => `job ${i.jobId}`,
  run: ({ actor, input }) => cancel(actor, input.jobId),
  resultOf: () => 'accepted',
});

export const forceUnlockEnvironment = defineAction({
  name: 'jobs.force-unlock',
  role: 'Admin',
  input: forceUnlockInput,
  target: (i) => `lock held by job ${i.jobId}`,
  run: ({ actor, input }) => forceUnlock(actor, input),
});
