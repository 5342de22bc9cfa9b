/**
 * The presenter: scenarios (one data file each) run step by step against the
 * environment, with live checks, a probe of the demo application, a
 * stopwatch against the RTO, and a stored report of every run.
 */
import 'server-only';
import { getConfig } from '../config';
import { checkLabel, recoveryChecks, resolveCheck, stopwatchOf, type ScenarioDef, type ScenarioParams, type ScenarioRun, type StopwatchView } from '../domain/scenario';
import { AppError } from '../errors';
import { getZoneHealth, type ZoneHealthSnapshot } from '../zones';
import { activeRun, ensureDriver, loadRun, recentRuns } from './runs';
import { SCENARIOS, scenarioById } from './scenarios';

export { startScenario, runNextStep, abandonScenario, toggleScenarioStopwatch, runWayBack, startInput, runInput, observeOnce, stopDriver } from './runs';
export { SCENARIOS, scenarioById } from './scenarios';

/** `$zone` / `$cluster` in a title or note, as the run (or the scenario's defaults) sets them. */
export function fill(text: string, params: ScenarioParams): string {
  return text.replaceAll('$zone', params.zone ?? '1').replaceAll('$cluster', params.cluster ?? 'all');
}

export interface ScenarioCard {
  id: string;
  title: string;
  summary: string;
  rtoMinutes?: number;
  rtoSource: string;
  params: ScenarioParams;
  steps: { id: string; title: string; notes: string; command?: string; disruptive: boolean; checks: string[] }[];
  recovery: string[];
  /** Each check's key in words. */
  labels: Record<string, string>;
}

export interface RunSummary {
  id: string;
  scenarioId: string;
  title: string;
  status: ScenarioRun['status'];
  startedBy: string;
  createdAt: number;
  endedAt?: number;
  stopwatch: StopwatchView;
}

export interface PresenterView {
  target: 'twin' | 'azure';
  scenarios: ScenarioCard[];
  /** The run in progress, with its scenario as the run sees it. */
  current?: { id: string; run: ScenarioRun; scenario: ScenarioCard; recovery: string[] };
  runs: RunSummary[];
  zones: ZoneHealthSnapshot;
  probeUrl?: string;
  generatedAt: number;
}

function card(def: ScenarioDef, params: ScenarioParams = def.params): ScenarioCard {
  return {
    id: def.id,
    title: def.title,
    summary: def.summary,
    rtoMinutes: def.rtoMinutes,
    rtoSource: def.rtoSource,
    params,
    steps: def.steps.map((s) => ({
      id: s.id,
      title: fill(s.title, params),
      notes: fill(s.notes, params),
      command: s.run?.command,
      disruptive: s.disruptive,
      checks: s.waitFor.map((c) => resolveCheck(c, params).key),
    })),
    recovery: def.recovery.map((c) => resolveCheck(c, params).key),
    labels: Object.fromEntries([...def.steps.flatMap((s) => s.waitFor), ...def.recovery].map((c) => resolveCheck(c, params)).map((c) => [c.key, checkLabel(c)])),
  };
}

function summaryOf(id: string, run: ScenarioRun, now: number): RunSummary {
  return { id, scenarioId: run.scenarioId, title: scenarioById(run.scenarioId)?.title ?? run.scenarioId, status: run.status, startedBy: run.startedBy, createdAt: run.createdAt, endedAt: run.endedAt, stopwatch: stopwatchOf(run, now) };
}

const SHOW_ENDED_MS = 30 * 60_000;

/** What the presenter and the audience see: the scenarios, the run in progress, the past runs and the environment. */
export async function getPresenterView(): Promise<PresenterView> {
  const [active, runs, zones] = await Promise.all([activeRun(), recentRuns(20), getZoneHealth()]);
  const now = Date.now();
  if (active) ensureDriver();
  // A run that just ended stays on the stage (its result, or its way back) until the next one starts.
  const latest = runs[0];
  const current = active ?? (latest?.run.endedAt !== undefined && now - latest.run.endedAt < SHOW_ENDED_MS ? latest : undefined);
  const def = current ? scenarioById(current.run.scenarioId) : undefined;
  return {
    target: getConfig().target,
    scenarios: SCENARIOS.map((s) => card(s)),
    current: current && def ? { id: current.id, run: current.run, scenario: card(def, current.run.params), recovery: recoveryChecks(def, current.run).map((c) => c.key) } : undefined,
    runs: runs.map((r) => summaryOf(r.id, r.run, now)),
    zones,
    probeUrl: getConfig().demoAppUrl,
    generatedAt: now,
  };
}

/** A stored run as a rehearsal report: the run itself with its scenario, for download and comparison. */
export async function getRunReport(id: string): Promise<{ scenario: ScenarioCard; run: ScenarioRun; stopwatch: StopwatchView }> {
  const stored = await loadRun(id);
  if (!stored) throw new AppError('not_found', 'No such scenario run.');
  const def = scenarioById(stored.run.scenarioId);
  if (!def) throw new AppError('not_found', `The scenario "${stored.run.scenarioId}" is no longer in this version of the product.`);
  return { scenario: card(def, stored.run.params), run: stored.run, stopwatch: stopwatchOf(stored.run, stored.run.endedAt ?? Date.now()) };
}
