import 'server-only';
import { randomUUID } from 'node:crypto';
import { getJob, startJob, type JobRequest } from '../jobs';
import { getDb } from '../db';
import { toUserError } from '../errors';
import type { Actor } from '../auth';

/**
 * Tear down between sessions through the jobs capability (allow-listed, Admin, the environment's name typed to confirm, one mutating job at a time):
 * `tofu destroy`; and waking from it: `tofu plan` → `tofu apply` of that plan → the add-on
 * install on every cluster, one job after the other, each visible on the Jobs page with its log.
 * The chain is a PowerRun (`environment`, `rebuild`) with one step per job.
 */
export const ENVIRONMENT_RUN = 'environment';
const JOB_WAIT_MS = 90 * 60_000;

export function tearDownEnvironment(actor: Actor, confirm: string): Promise<{ jobId: string; simulated: boolean }> {
  return startJob(actor, { kind: 'tofu-destroy', confirm });
}

async function waitForJob(jobId: string): Promise<void> {
  const deadline = Date.now() + JOB_WAIT_MS;
  for (;;) {
    const job = await getJob(jobId);
    if (!job) throw new Error(`job ${jobId} disappeared`);
    if (job.status === 'succeeded') return;
    if (job.status === 'failed' || job.status === 'cancelled' || job.status === 'interrupted') {
      throw new Error(`${job.title} ${job.status}${job.error ? `: ${job.error}` : ''} (see /jobs/${jobId})`);
    }
    if (Date.now() > deadline) throw new Error(`${job.title} still ${job.status} after 90 minutes (see /jobs/${jobId})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Wake from a tear-down: plan, apply that plan, install the add-ons (Admin: the jobs are mutating). */
export async function rebuildEnvironment(actor: Actor): Promise<{ outcome: 'accepted'; operationId: string }> {
  const db = getDb();
  const id = randomUUID();
  const now = new Date();
  const steps = [
    { id: 'tofu-plan', label: 'tofu plan', status: 'pending' as string, detail: undefined as string | undefined },
    { id: 'tofu-apply', label: 'tofu apply (that plan, ≈ 25 min on Azure)', status: 'pending', detail: undefined },
    { id: 'addons-install', label: 'install.sh --cluster all (the add-ons)', status: 'pending', detail: undefined },
  ];
  await db.powerRun.create({ data: { id, cluster: ENVIRONMENT_RUN, direction: 'rebuild', strategy: 'tear-down', status: 'InProgress', steps: JSON.stringify(steps), memory: '{}', actorName: actor.name, startedAt: now, updatedAt: now } });
  const save = (data: Record<string, unknown> = {}) => db.powerRun.update({ where: { id }, data: { steps: JSON.stringify(steps), updatedAt: new Date(), ...data } });
  const run = async (index: number, req: JobRequest): Promise<string> => {
    steps[index].status = 'running';
    const { jobId } = await startJob(actor, req);
    steps[index].detail = `job ${jobId}`;
    await save();
    await waitForJob(jobId);
    steps[index].status = 'done';
    await save();
    return jobId;
  };
  void (async () => {
    try {
      const planJobId = await run(0, { kind: 'tofu-plan' });
      await run(1, { kind: 'tofu-apply', planJobId });
      await run(2, { kind: 'addons-install', cluster: 'all' });
      await save({ status: 'Succeeded', finishedAt: new Date() });
    } catch (err) {
      const failed = steps.find((s) => s.status === 'running');
      if (failed) failed.status = 'failed';
      await save({ status: 'Failed', error: toUserError(err).message, finishedAt: new Date() }).catch(() => undefined);
    }
  })();
  return { outcome: 'accepted', operationId: id };
}
