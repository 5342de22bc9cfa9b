/**
 * Presenter scenarios: a scenario is a script of steps (each a command the
 * product already has, followed by the checks that say it took effect) with
 * speaker notes, an RTO and the recovery checks that stop its stopwatch.
 * Scenarios are data (lib/presenter/scenarios, one file each); this module is
 * the engine that runs one: pure, no I/O, time passed in. The caller runs the
 * commands and reads the checks, and hands their answers to `commandEnded`
 * and `observe`.
 */
import { z } from 'zod';
import { CLUSTER_KEYS } from './cluster';

/** Commands a step may run: the product's own actions, by name. */
export { formatElapsed, stopwatchOf, type StopwatchView } from './stopwatch';

export const SCENARIO_COMMANDS = ['zone.cordon', 'zone.restore', 'spot.evict', 'backup.restore', 'cluster.sleep', 'cluster.wake', 'cluster.stop', 'cluster.start'] as const;
export type ScenarioCommand = (typeof SCENARIO_COMMANDS)[number];

/**
 * What a check reads, over the clusters it names (`all` = every cluster):
 * - nodes-ready: every schedulable node is Ready, and there is at least one;
 * - pods-running: no workload pod Pending or not Ready;
 * - gateways-ready: every ingress gateway pod is Ready, and there is at least one;
 * - zone-drained: no workload pod runs in the zone any more (the disruption took effect);
 * - spot-replaced: a Spot node created after the run's eviction is Ready;
 * - restore-succeeded: the cluster's latest restore job, started in this run, succeeded;
 * - power: every named cluster is running, or powered down (stopped or asleep);
 * - probe: the demo application's public entry answered 2xx on its last probes.
 */
export const CHECK_KINDS = ['nodes-ready', 'pods-running', 'gateways-ready', 'zone-drained', 'spot-replaced', 'restore-succeeded', 'power', 'probe'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

const CLUSTERS = CLUSTER_KEYS;
const clusterOrAll = z.enum([...CLUSTERS, 'all']);
/** `$zone` and `$cluster` are replaced by the run's parameters. */
const zoneRef = z.union([z.enum(['1', '2', '3']), z.literal('$zone')]);
const clusterRefSchema = z.union([clusterOrAll, z.literal('$cluster')]);

export const checkSchema = z
  .object({
    kind: z.enum(CHECK_KINDS),
    cluster: clusterRefSchema.default('all'),
    zone: zoneRef.optional(),
    phase: z.enum(['running', 'down']).optional(),
  })
  .strict();
export type CheckDef = z.input<typeof checkSchema>;

export const stepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    title: z.string().min(1).max(120),
    /** Speaker notes: what to say while the step runs. */
    notes: z.string().max(2_000).default(''),
    run: z
      .object({ command: z.enum(SCENARIO_COMMANDS), input: z.record(z.string(), z.union([z.string().max(100), z.boolean(), z.number()])).default({}) })
      .strict()
      .optional(),
    /** The first disruptive step starts the stopwatch. */
    disruptive: z.boolean().default(false),
    /** The step is done when all of these pass (immediately when there are none). */
    waitFor: z.array(checkSchema).max(10).default([]),
    /** A step whose checks have not passed by then fails the run. */
    timeoutS: z.number().int().min(5).max(7_200).default(600),
  })
  .strict();
export type StepDef = z.output<typeof stepSchema>;

export const scenarioSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    title: z.string().min(1).max(80),
    summary: z.string().min(1).max(500),
    /** The recovery time objective the stopwatch runs against; none: the stopwatch only times it. */
    rtoMinutes: z.number().min(1).max(240).optional(),
    /** Where the RTO comes from, said to the audience. */
    rtoSource: z.string().max(300).default(''),
    params: z.object({ zone: z.enum(['1', '2', '3']).optional(), cluster: z.enum(CLUSTERS).optional() }).strict().default({}),
    steps: z.array(stepSchema).min(1).max(20),
    /** All pass = recovered: they stop the stopwatch once it runs. */
    recovery: z.array(checkSchema).min(1).max(10),
    /** Step ids that put the environment back, offered when a run fails. */
    wayBack: z.array(z.string()).max(5).default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    for (const step of s.steps) {
      if (ids.has(step.id)) ctx.addIssue({ code: 'custom', message: `step id "${step.id}" is used twice` });
      ids.add(step.id);
    }
    for (const id of s.wayBack) if (!ids.has(id)) ctx.addIssue({ code: 'custom', message: `wayBack names "${id}", which is not a step` });
    if (!s.steps.some((step) => step.disruptive)) ctx.addIssue({ code: 'custom', message: 'no step is disruptive, so the stopwatch would never start' });
  });
export type ScenarioDef = z.output<typeof scenarioSchema>;
export type ScenarioParams = { zone?: '1' | '2' | '3'; cluster?: (typeof CLUSTERS)[number] };

/** A check with the run's parameters filled in, and a key naming it. */
export interface ResolvedCheck {
  key: string;
  kind: CheckKind;
  cluster: (typeof CLUSTERS)[number] | 'all';
  zone?: '1' | '2' | '3';
  phase?: 'running' | 'down';
}

export function resolveCheck(c: CheckDef, params: ScenarioParams): ResolvedCheck {
  const cluster = c.cluster === '$cluster' ? (params.cluster ?? 'all') : (c.cluster ?? 'all');
  const zone = c.zone === '$zone' ? params.zone : c.zone;
  const key = [c.kind, cluster, zone, c.phase].filter(Boolean).join(':');
  return { key, kind: c.kind, cluster, zone, phase: c.phase };
}

/** A check in words, for the stage: what it says and over which clusters. */
export function checkLabel(c: ResolvedCheck): string {
  const where = c.cluster === 'all' ? 'every cluster' : c.cluster;
  switch (c.kind) {
    case 'nodes-ready': return `Nodes Ready on ${where}`;
    case 'pods-running': return `Pods Running on ${where}`;
    case 'gateways-ready': return `Ingress gateways Ready on ${where}`;
    case 'zone-drained': return `Zone ${c.zone ?? '?'} drained on ${where}`;
    case 'spot-replaced': return `Replacement Spot node Ready on ${where}`;
    case 'restore-succeeded': return `Restore job succeeded on ${where}`;
    case 'power': return `${where} ${c.phase === 'down' ? 'powered down' : 'running'}`;
    case 'probe': return 'The demo application answers';
  }
}

/** A step's command input with `$zone` / `$cluster` replaced. */
export function resolveInput(input: Record<string, string | boolean | number>, params: ScenarioParams): Record<string, string | boolean | number> {
  return Object.fromEntries(
    Object.entries(input).map(([k, v]) => [k, v === '$zone' ? (params.zone ?? '1') : v === '$cluster' ? (params.cluster ?? 'all') : v]),
  );
}

export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed';
export type RunStatus = 'ready' | 'running' | 'passed' | 'failed' | 'abandoned';

export interface StepRecord {
  id: string;
  status: StepStatus;
  startedAt?: number;
  endedAt?: number;
  by?: string;
  /** What the command answered, or why it failed. */
  detail?: string;
}

export interface CheckSample {
  at: number;
  key: string;
  ok: boolean;
  detail: string;
}

export interface ProbeSample {
  at: number;
  status: number | null;
  latencyMs: number | null;
  error?: string;
  /** Which cluster and zone answered, when the entry says (the twin does). */
  servedBy?: string;
}

export interface ScenarioRun {
  scenarioId: string;
  params: ScenarioParams;
  status: RunStatus;
  startedBy: string;
  createdAt: number;
  endedAt?: number;
  /** The step the presenter runs next (== steps.length once all ran). */
  current: number;
  steps: StepRecord[];
  /** `manual`: the presenter started or stopped it by hand (the report says so). */
  stopwatch: { startedAt?: number; stoppedAt?: number; manual?: boolean };
  rtoMs: number | null;
  /** The latest answer of each check. */
  checks: Record<string, { ok: boolean; detail: string; at: number }>;
  /** Changes of checks over time (a sample is kept when a check's answer changes). */
  timeline: CheckSample[];
  probes: ProbeSample[];
  failure?: { step: string; reason: string; wayBack: string[] };
  /** What a step's command left for the checks: the Spot nodes before an eviction, a restore's job id (per cluster). */
  memo: Record<string, string[]>;
}

/** Every stored run is bounded: its timeline and probe samples keep the newest this many. */
export const MAX_TIMELINE = 400;
export const MAX_PROBES = 600;

export function newRun(def: ScenarioDef, params: ScenarioParams, by: string, now: number): ScenarioRun {
  return {
    scenarioId: def.id,
    params: { ...def.params, ...params },
    status: 'ready',
    startedBy: by,
    createdAt: now,
    current: 0,
    steps: def.steps.map((s) => ({ id: s.id, status: 'pending' })),
    stopwatch: {},
    rtoMs: def.rtoMinutes === undefined ? null : def.rtoMinutes * 60_000,
    checks: {},
    timeline: [],
    probes: [],
    memo: {},
  };
}

const ended = (run: ScenarioRun) => run.status === 'passed' || run.status === 'failed' || run.status === 'abandoned';

/** Why the presenter cannot run the next step now, or null. */
export function cannotAdvance(run: ScenarioRun): string | null {
  if (ended(run)) return `The run has ended (${run.status}).`;
  if (run.current >= run.steps.length) return 'Every step has run; the run ends when the recovery checks pass.';
  const prev = run.steps[run.current - 1];
  if (prev && prev.status !== 'done') return `"${prev.id}" is still ${prev.status === 'waiting' ? 'waiting for its checks' : prev.status}.`;
  return null;
}

/** The presenter runs the next step: it is marked running (and the stopwatch starts at the first disruptive one). */
export function beginStep(def: ScenarioDef, run: ScenarioRun, by: string, now: number): ScenarioRun {
  const why = cannotAdvance(run);
  if (why) throw new Error(why);
  const step = def.steps[run.current];
  const steps = run.steps.map((s, i) => (i === run.current ? { ...s, status: 'running' as const, startedAt: now, by } : s));
  const stopwatch = step.disruptive && run.stopwatch.startedAt === undefined ? { startedAt: now } : run.stopwatch;
  return { ...run, status: 'running', steps, stopwatch };
}

/** The running step's command answered: it waits for its checks, or fails the run. */
export function commandEnded(def: ScenarioDef, run: ScenarioRun, result: { ok: boolean; detail: string }, now: number): ScenarioRun {
  const i = run.current;
  const step = run.steps[i];
  if (!step || step.status !== 'running') return run;
  if (!result.ok) return failRun(def, run, step.id, result.detail, now);
  const steps = run.steps.map((s, j) => (j === i ? { ...s, status: 'waiting' as const, detail: result.detail } : s));
  return { ...run, steps, current: i + 1 };
}

function failRun(def: ScenarioDef, run: ScenarioRun, stepId: string, reason: string, now: number): ScenarioRun {
  const steps = run.steps.map((s) => (s.id === stepId ? { ...s, status: 'failed' as const, endedAt: now, detail: reason } : s));
  return { ...run, status: 'failed', endedAt: now, steps, failure: { step: stepId, reason, wayBack: def.wayBack }, stopwatch: { ...run.stopwatch, stoppedAt: run.stopwatch.startedAt !== undefined ? (run.stopwatch.stoppedAt ?? now) : undefined } };
}

/** The checks a run needs now: those of the waiting steps and the recovery checks. */
export function checksNeeded(def: ScenarioDef, run: ScenarioRun): ResolvedCheck[] {
  if (ended(run)) return [];
  const all = [
    ...def.steps.flatMap((s, i) => (run.steps[i].status === 'waiting' ? s.waitFor : [])),
    ...(run.stopwatch.startedAt !== undefined && run.stopwatch.stoppedAt === undefined ? def.recovery : []),
  ].map((c) => resolveCheck(c, run.params));
  return [...new Map(all.map((c) => [c.key, c])).values()];
}

/** The recovery checks with the run's parameters, in the scenario's order. */
export function recoveryChecks(def: ScenarioDef, run: ScenarioRun): ResolvedCheck[] {
  return def.recovery.map((c) => resolveCheck(c, run.params));
}

/**
 * New answers of the checks: waiting steps whose checks all pass are done, a
 * step past its timeout fails the run, the stopwatch stops when every recovery
 * check passes, and the run passes once every step is done and it stopped.
 */
export function observe(def: ScenarioDef, run: ScenarioRun, answers: Record<string, { ok: boolean; detail: string }>, now: number): ScenarioRun {
  if (ended(run)) return run;
  const checks = { ...run.checks };
  const timeline = [...run.timeline];
  for (const [key, a] of Object.entries(answers)) {
    const before = checks[key];
    if (!before || before.ok !== a.ok || before.detail !== a.detail) timeline.push({ at: now, key, ok: a.ok, detail: a.detail });
    checks[key] = { ...a, at: now };
  }
  let next: ScenarioRun = { ...run, checks, timeline: timeline.slice(-MAX_TIMELINE) };
  const passes = (c: CheckDef) => next.checks[resolveCheck(c, run.params).key]?.ok === true;

  for (const [i, step] of def.steps.entries()) {
    const rec = next.steps[i];
    if (rec.status !== 'waiting') continue;
    if (step.waitFor.every(passes)) {
      next = { ...next, steps: next.steps.map((s, j) => (j === i ? { ...s, status: 'done' as const, endedAt: now } : s)) };
    } else if (rec.startedAt !== undefined && now - rec.startedAt > step.timeoutS * 1_000) {
      const failing = step.waitFor.filter((c) => !passes(c)).map((c) => resolveCheck(c, run.params).key);
      return failRun(def, next, rec.id, `Its checks did not pass within ${step.timeoutS} s: ${failing.join(', ')}.`, now);
    }
  }
  if (next.stopwatch.startedAt !== undefined && next.stopwatch.stoppedAt === undefined && def.recovery.every(passes)) {
    // Recovered only once the disruption took effect: no step may still be running or waiting for its checks.
    const settled = next.steps.every((s) => s.status !== 'running' && s.status !== 'waiting');
    if (settled) next = { ...next, stopwatch: { ...next.stopwatch, stoppedAt: now } };
  }
  if (next.current >= next.steps.length && next.steps.every((s) => s.status === 'done') && next.stopwatch.stoppedAt !== undefined) {
    next = { ...next, status: 'passed', endedAt: now };
  }
  return next;
}

export function addProbe(run: ScenarioRun, sample: ProbeSample): ScenarioRun {
  return { ...run, probes: [...run.probes, sample].slice(-MAX_PROBES) };
}

/** The presenter stops a run: it ends as abandoned, with what it had. */
export function abandon(def: ScenarioDef, run: ScenarioRun, by: string, now: number): ScenarioRun {
  if (ended(run)) return run;
  return { ...run, status: 'abandoned', endedAt: now, failure: { step: run.steps[Math.min(run.current, run.steps.length - 1)].id, reason: `Stopped by ${by}.`, wayBack: def.wayBack }, stopwatch: { ...run.stopwatch, stoppedAt: run.stopwatch.startedAt !== undefined ? (run.stopwatch.stoppedAt ?? now) : undefined } };
}

/** The presenter's own start/stop of the stopwatch: idle or stopped starts it afresh, running stops it. */
export function toggleStopwatch(run: ScenarioRun, now: number): ScenarioRun {
  if (ended(run)) return run;
  const running = run.stopwatch.startedAt !== undefined && run.stopwatch.stoppedAt === undefined;
  return { ...run, stopwatch: running ? { ...run.stopwatch, stoppedAt: now, manual: true } : { startedAt: now, manual: true } };
}

/** A probe check's answer from the samples: the last few all 2xx. */
export function probeVerdict(samples: ProbeSample[], last = 3): { ok: boolean; detail: string } {
  const recent = samples.slice(-last);
  if (!recent.length) return { ok: false, detail: 'no answer yet' };
  const bad = recent.filter((p) => p.status === null || p.status < 200 || p.status >= 300);
  const l = recent[recent.length - 1];
  const latency = l.latencyMs === null ? '' : ` in ${l.latencyMs} ms`;
  if (bad.length) return { ok: false, detail: `${bad.length} of the last ${recent.length} probes failed (${l.status ?? l.error ?? 'no answer'}${latency})` };
  return { ok: true, detail: `${l.status}${latency}` };
}
