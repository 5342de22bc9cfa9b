import 'server-only';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../auth';
import { CLUSTER_KEYS, getConfig, type ClusterKey } from '../config';
import { getDb } from '../db';
import {
  abandon, addProbe, beginStep, cannotAdvance, checksNeeded, commandEnded, newRun, observe, resolveInput, toggleStopwatch,
  type ResolvedCheck, type ScenarioDef, type ScenarioRun,
} from '../domain/scenario';
import { spotEvidence } from '../zones';
import { AppError } from '../errors';
import { eventHub } from '../events/hub';
import { readChecks } from './checks';
import { runCommand } from './commands';
import { probeOnce } from './probe';
import { scenarioById, SCENARIOS } from './scenarios';

/**
 * Scenario runs: stored (one row each, the run as JSON, bounded by the engine),
 * changed one at a time per process, and driven while one is active: the
 * demo application is probed every second and the checks the run needs are
 * read every two, each change published on the event hub's `presenter` topic
 * so that the presenter's and the audience's pages follow.
 */
export const startInput = z.object({
  scenario: z.enum(SCENARIOS.map((s) => s.id) as [string, ...string[]]),
  zone: z.enum(['1', '2', '3']).optional(),
  cluster: z.enum(CLUSTER_KEYS).optional(),
});
export const runInput = z.object({ id: z.string().uuid() });

/** The stored runs kept: older ones are deleted when a new run starts. */
const KEEP_RUNS = 100;
const PROBE_EVERY_MS = 1_000;
const CHECK_EVERY_MS = 2_000;

export interface StoredRun {
  id: string;
  run: ScenarioRun;
  updatedAt: number;
}

const active = (r: ScenarioRun) => r.status === 'ready' || r.status === 'running';

function defOf(run: ScenarioRun): ScenarioDef {
  const def = scenarioById(run.scenarioId);
  if (!def) throw new AppError('not_found', `The scenario "${run.scenarioId}" of this run is no longer in this version of the product.`);
  return def;
}

const parse = (row: { id: string; data: string; updatedAt: Date }): StoredRun => ({ id: row.id, run: JSON.parse(row.data) as ScenarioRun, updatedAt: row.updatedAt.getTime() });

export async function loadRun(id: string): Promise<StoredRun | null> {
  const row = await getDb().scenarioRun.findUnique({ where: { id } });
  return row ? parse(row) : null;
}

export async function activeRun(): Promise<StoredRun | null> {
  const row = await getDb().scenarioRun.findFirst({ where: { status: { in: ['ready', 'running'] } }, orderBy: { createdAt: 'desc' } });
  return row ? parse(row) : null;
}

export async function recentRuns(limit = 20): Promise<StoredRun[]> {
  const rows = await getDb().scenarioRun.findMany({ orderBy: { createdAt: 'desc' }, take: Math.min(limit, KEEP_RUNS) });
  return rows.map(parse);
}

async function save(id: string, run: ScenarioRun): Promise<void> {
  await getDb().scenarioRun.update({
    where: { id },
    data: { status: run.status, data: JSON.stringify(run), updatedAt: new Date(), endedAt: run.endedAt ? new Date(run.endedAt) : null },
  });
  eventHub().publish('presenter');
}

/** One change of a run at a time in this process: a step, the driver's observation and an abandon never overwrite each other. */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => undefined);
  return next;
}

async function change(id: string, fn: (run: ScenarioRun, def: ScenarioDef) => ScenarioRun | Promise<ScenarioRun>): Promise<ScenarioRun> {
  return serial(async () => {
    const stored = await loadRun(id);
    if (!stored) throw new AppError('not_found', 'No such scenario run.');
    const next = await fn(stored.run, defOf(stored.run));
    if (next !== stored.run) await save(id, next);
    return next;
  });
}

export async function startScenario(actor: Actor, input: z.infer<typeof startInput>): Promise<{ id: string }> {
  const def = scenarioById(input.scenario)!;
  return serial(async () => {
    const current = await activeRun();
    if (current) throw new AppError('conflict', `"${defOf(current.run).title}" is still running (started by ${current.run.startedBy}); finish or stop it first.`);
    const id = randomUUID();
    const run = newRun(def, { zone: input.zone, cluster: input.cluster }, actor.name, Date.now());
    const db = getDb();
    await db.scenarioRun.create({ data: { id, scenarioId: def.id, status: run.status, startedBy: actor.name, data: JSON.stringify(run), createdAt: new Date(run.createdAt), updatedAt: new Date() } });
    const old = await db.scenarioRun.findMany({ orderBy: { createdAt: 'desc' }, skip: KEEP_RUNS, select: { id: true } });
    if (old.length) await db.scenarioRun.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
    eventHub().publish('presenter');
    ensureDriver();
    return { id };
  });
}

/**
 * The presenter runs the next step: its command (if any) through the same
 * function as the product's button, then the run waits for the step's checks.
 * Answers once the command answered; the checks go on in the driver.
 */
export async function runNextStep(actor: Actor, input: z.infer<typeof runInput>): Promise<{ step: string; ok: boolean; detail: string }> {
  let stepIndex = -1;
  const started = await change(input.id, (run, def) => {
    const why = cannotAdvance(run);
    if (why) throw new AppError('conflict', why);
    stepIndex = run.current;
    return beginStep(def, run, actor.name, Date.now());
  });
  ensureDriver();
  const def = defOf(started);
  const step = def.steps[stepIndex];
  const outcome = step.run ? await runCommand(actor, step.run.command, resolveInput(step.run.input, started.params)) : { ok: true, detail: 'checks only' };
  await change(input.id, (run, d) => {
    const ended = commandEnded(d, run, outcome, Date.now());
    return outcome.memo ? { ...ended, memo: { ...ended.memo, ...outcome.memo } } : ended;
  });
  await observeOnce(input.id);
  return { step: step.id, ok: outcome.ok, detail: outcome.detail };
}

export async function abandonScenario(actor: Actor, input: z.infer<typeof runInput>): Promise<{ status: string }> {
  const run = await change(input.id, (r, def) => abandon(def, r, actor.name, Date.now()));
  return { status: run.status };
}

/**
 * After a failed or stopped run: the scenario's way back (the steps that put the environment back, such as
 * restoring the zone), run once through the same commands; what each did is kept in the run.
 */
export async function runWayBack(actor: Actor, input: z.infer<typeof runInput>): Promise<{ ok: boolean; detail: string }> {
  const stored = await loadRun(input.id);
  if (!stored) throw new AppError('not_found', 'No such scenario run.');
  const { run } = stored;
  if (!run.failure) throw new AppError('conflict', 'The run has not failed or been stopped: its own steps put the environment back.');
  if (run.memo.wayBack?.length) throw new AppError('conflict', 'The way back has already run for this run.');
  const def = defOf(run);
  const results: string[] = [];
  let ok = true;
  for (const id of run.failure.wayBack) {
    const step = def.steps.find((s) => s.id === id);
    if (!step?.run) continue;
    const r = await runCommand(actor, step.run.command, resolveInput(step.run.input, run.params));
    ok &&= r.ok;
    results.push(`${step.id}: ${r.ok ? 'done' : 'failed'}, ${r.detail}`.slice(0, 500));
  }
  await serial(async () => {
    const latest = await loadRun(input.id);
    if (latest) await save(input.id, { ...latest.run, memo: { ...latest.run.memo, wayBack: results } });
  });
  return { ok, detail: results.join('; ') || 'nothing to run' };
}

export async function toggleScenarioStopwatch(_actor: Actor, input: z.infer<typeof runInput>): Promise<{ running: boolean }> {
  const run = await change(input.id, (r) => toggleStopwatch(r, Date.now()));
  return { running: run.stopwatch.startedAt !== undefined && run.stopwatch.stoppedAt === undefined };
}

/** Reads the checks the run needs now and records their answers. */
export async function observeOnce(id: string): Promise<ScenarioRun> {
  const stored = await loadRun(id);
  if (!stored || !active(stored.run)) return stored?.run as ScenarioRun;
  const needed = checksNeeded(defOf(stored.run), stored.run);
  if (!needed.length) return stored.run;
  const answers = await readChecks(needed, stored.run);
  const evidence = await replacementEvidence(needed, answers, stored.run);
  return change(id, (run, def) => {
    const next = observe(def, run, answers, Date.now());
    return evidence ? { ...next, memo: { ...next.memo, ...evidence } } : next;
  });
}

/**
 * When a Spot replacement check first turns green: what Kubernetes recorded (Karpenter's NodeClaims, the
 * interruption and launch events), kept in the run for the stage and the report. A failed read is left out.
 */
async function replacementEvidence(needed: ResolvedCheck[], answers: Record<string, { ok: boolean }>, run: ScenarioRun): Promise<Record<string, string[]> | undefined> {
  const clusters = needed.filter((c) => c.kind === 'spot-replaced' && answers[c.key]?.ok && c.cluster !== 'all' && !run.memo[`evidence:${c.cluster}`]).map((c) => c.cluster as ClusterKey);
  if (!clusters.length) return undefined;
  const read = await Promise.all(clusters.map((k) => spotEvidence(k).then((lines): [string, string[]] => [`evidence:${k}`, lines], () => undefined)));
  const found = read.filter((r) => r !== undefined);
  return found.length ? Object.fromEntries(found) : undefined;
}

async function probe(id: string, url: string): Promise<void> {
  const sample = await probeOnce(url);
  await change(id, (run) => (active(run) ? addProbe(run, sample) : run));
}

/**
 * The driver: while a run is active in this process's database, probe and
 * check on a timer. It stops by itself when no run is active, and any page
 * showing a run starts it again (after a restart, for instance).
 */
const DRIVER = Symbol.for('aks-demo.presenter-driver');
type Holder = { [DRIVER]?: ReturnType<typeof setInterval> };

export function ensureDriver(): void {
  const g = globalThis as Holder;
  if (g[DRIVER]) return;
  let ticks = 0;
  let busy = false;
  g[DRIVER] = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      try {
        const current = await activeRun();
        if (!current) {
          stopDriver();
          return;
        }
        const url = getConfig().demoAppUrl;
        const work: Promise<unknown>[] = [];
        if (url) work.push(probe(current.id, url));
        if ((ticks++ * PROBE_EVERY_MS) % CHECK_EVERY_MS === 0) work.push(observeOnce(current.id));
        await Promise.allSettled(work);
      } catch {
        // A failed tick (the database busy, a source down) is tried again next second; the checks show their own failures.
      } finally {
        busy = false;
      }
    })();
  }, PROBE_EVERY_MS);
  g[DRIVER].unref?.();
}

export function stopDriver(): void {
  const g = globalThis as Holder;
  if (g[DRIVER]) clearInterval(g[DRIVER]);
  g[DRIVER] = undefined;
}
