import 'server-only';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getDb } from '../db';
import { planTotals, planTotalsLine, type AddonPlanSummary } from '../domain/addon-plan';
import { addonInputs, addonPlanSummary, addonReleases, readPlanDir } from './addons';
import type { JobRequest, jobSpec } from './catalog';
import { jobEnvironment } from './env';
import { environmentName, running, type JobsOptions } from './instance';
import { releaseLock, renewLock } from './lock';
import { JobLog, jobEvents } from './log';
import { planLine, summarisePlan, type PlanSummary } from './plan';
import { checkTools, missingToolsMessage, which } from './preflight';
import { startProcess, type RunningProcess } from './process';
import type { JobStatus } from './queries';
import { Cancelled, simulate } from './simulated';

/**
 * The runner: runs a started job to its end in the background — preflight, the process or the
 * simulation, the heartbeat that renews the lock's lease and picks up a cancel asked for
 * through another instance, and the final status.
 */

type Summary = PlanSummary | AddonPlanSummary;

const summaryLine = (s: Summary) => ('type' in s ? planTotalsLine(planTotals(s.releases)) : planLine(s));

async function finish(id: string, log: JobLog, data: { status: JobStatus; exitCode?: number | null; error?: string; summary?: Summary }, environment?: string) {
  const db = getDb();
  await log.close();
  await db.job.update({
    where: { id },
    data: { status: data.status, exitCode: data.exitCode ?? null, error: data.error ?? null, summary: data.summary ? JSON.stringify(data.summary) : undefined, finishedAt: new Date(), heartbeatAt: new Date() },
  });
  if (environment) await releaseLock(db, environment, id);
  running().delete(id);
  jobEvents().emit(`status:${id}`);
}

export async function execute(id: string, req: JobRequest, spec: ReturnType<typeof jobSpec>, simulated: boolean, savedPlan: Summary | undefined, log: JobLog, o: JobsOptions) {
  const db = getDb();
  const lockEnv = spec.mutating ? environmentName() : undefined;
  const env = jobEnvironment(o.sourceEnv);
  // An add-on plan's rendered manifests may hold configuration values: this user's only, removed when the job ends.
  const addonDir = join(o.planDir, `${id}.addon`);
  log.write('sys', `${spec.title} — ${simulated ? 'SIMULATED on the twin (tofu/helm are not run)' : `running ${spec.argv.join(' ')}`} — started by ${(await db.job.findUnique({ where: { id } }))?.actorName}`);

  if (!simulated) {
    const tools = await checkTools(spec.tools, env);
    for (const t of tools) log.write('sys', t.found ? `preflight: ${t.tool} ${t.version} (${t.path})` : `preflight: ${t.tool} not found`);
    const missing = missingToolsMessage(tools);
    if (missing) {
      log.write('sys', missing);
      return finish(id, log, { status: 'failed', error: missing }, lockEnv);
    }
  }

  const controller = new AbortController();
  let proc: RunningProcess | undefined;
  let cancelledBy: string | undefined;
  const handle = {
    cancel(by: string) {
      if (cancelledBy) return;
      cancelledBy = by;
      if (proc) proc.cancel(by);
      else {
        log.write('sys', `cancel requested by ${by}: stopping after the current step (the twin keeps what was already created)`);
        controller.abort();
      }
    },
  };
  running().set(id, handle);
  await db.job.update({ where: { id }, data: { status: 'running', startedAt: new Date(), heartbeatAt: new Date() } });
  jobEvents().emit(`status:${id}`);

  // Heartbeat (the job's, and the lock's lease), and a cancel asked for through another instance.
  const beat = setInterval(() => {
    if (lockEnv) void renewLock(db, lockEnv, id).catch(() => undefined);
    void db.job
      .update({ where: { id }, data: { heartbeatAt: new Date() }, select: { cancelRequestedAt: true, cancelledBy: true } })
      .then((j) => { if (j.cancelRequestedAt && !cancelledBy) handle.cancel(j.cancelledBy ?? 'another instance'); })
      .catch(() => undefined);
  }, o.heartbeatMs);
  beat.unref?.();

  try {
    if (simulated) {
      const pace = (twinMs: number) => Math.min(twinMs / o.clockSpeed, o.paceCapMs);
      try {
        const twinTime = (twinMs: number) => twinMs / o.clockSpeed;
        const r = await simulate({ twinUrl: o.twinUrl, infraDir: o.infraDir, env, log, signal: controller.signal, pace, twinTime }, req, savedPlan);
        if (r.summary) log.write('sys', `plan summary: ${summaryLine(r.summary)}`);
        return await finish(id, log, { status: r.exitCode === 0 ? 'succeeded' : 'failed', exitCode: r.exitCode, summary: r.summary }, lockEnv);
      } catch (err) {
        if (err instanceof Cancelled || controller.signal.aborted) {
          log.write('sys', 'cancelled');
          return await finish(id, log, { status: 'cancelled' }, lockEnv);
        }
        const message = err instanceof Error ? err.message : String(err);
        log.write('err', `xx ${message}`);
        return await finish(id, log, { status: 'failed', exitCode: 1, error: message }, lockEnv);
      }
    }

    const argv = [...spec.argv];
    if (req.kind === 'tofu-plan') {
      // A saved plan holds the values tofu read, sensitive ones included: readable by this user only.
      mkdirSync(o.planDir, { recursive: true, mode: 0o700 });
      argv.push(`-out=${join(o.planDir, `${id}.tfplan`)}`);
    }
    if (req.kind === 'tofu-apply') argv[argv.length - 1] = join(o.planDir, `${req.planJobId}.tfplan`);
    if (req.kind === 'addon-plan') {
      mkdirSync(addonDir, { recursive: true, mode: 0o700 });
      argv.push(addonDir);
    }
    const program = which(argv[0], env.PATH ?? '')!;
    proc = startProcess({ program, args: argv.slice(1), cwd: o.infraDir, env, log, graceMs: o.graceMs });
    await db.job.update({ where: { id }, data: { pid: proc.pid } });
    if (cancelledBy) proc.cancel(cancelledBy);
    const { code, signal } = await proc.done;
    log.write('sys', signal ? `ended by ${signal}` : `exit code ${code}`);
    if (cancelledBy) return await finish(id, log, { status: 'cancelled', exitCode: code }, lockEnv);
    if (code !== 0) return await finish(id, log, { status: 'failed', exitCode: code, error: signal ? `ended by ${signal}` : `exit code ${code}` }, lockEnv);
    let summary: Summary | undefined;
    if (req.kind === 'tofu-plan') {
      summary = summarisePlan(await showPlan(program, join(o.planDir, `${id}.tfplan`), o.infraDir, env));
      log.write('sys', `plan summary (tofu show -json): ${planLine(summary)}`);
    }
    if (req.kind === 'addon-plan') {
      const releases = await addonReleases(o.infraDir, req.cluster, req.addon);
      const rendered = await readPlanDir(addonDir, releases);
      summary = addonPlanSummary(req.cluster, req.addon, await addonInputs(o.infraDir, req.addon), rendered, (t) => log.redactText(t));
      log.write('sys', `plan summary (helm upgrade --dry-run=server against helm get manifest): ${summaryLine(summary)}`);
    }
    return await finish(id, log, { status: 'succeeded', exitCode: 0, summary }, lockEnv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log.write('sys', `failed: ${message}`);
    return await finish(id, log, { status: 'failed', error: message }, lockEnv);
  } finally {
    clearInterval(beat);
    if (req.kind === 'addon-plan') rmSync(addonDir, { recursive: true, force: true });
  }
}

function showPlan(tofu: string, file: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((res, rej) => {
    execFile(tofu, ['show', '-json', file], { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) rej(new Error(`tofu show -json failed: ${stderr.trim() || err.message}`));
      else res(stdout);
    });
  });
}
