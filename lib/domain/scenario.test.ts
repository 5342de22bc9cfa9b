import { describe, expect, it } from 'vitest';
import {
  abandon, addProbe, beginStep, cannotAdvance, checksNeeded, commandEnded, formatElapsed, MAX_PROBES, MAX_TIMELINE, newRun, observe,
  probeVerdict, resolveInput, scenarioSchema, stopwatchOf, type ScenarioRun,
} from './scenario';

const def = scenarioSchema.parse({
  id: 'zone-test',
  title: 'Zone test',
  summary: 'A zone lost and back.',
  rtoMinutes: 5,
  params: { zone: '2' },
  steps: [
    { id: 'baseline', title: 'Healthy', waitFor: [{ kind: 'pods-running' }] },
    { id: 'cut', title: 'Lose zone', run: { command: 'zone.cordon', input: { cluster: 'all', zone: '$zone' } }, disruptive: true, waitFor: [{ kind: 'zone-drained', zone: '$zone' }], timeoutS: 60 },
    { id: 'back', title: 'Restore', run: { command: 'zone.restore', input: { cluster: 'all', zone: '$zone' } } },
  ],
  recovery: [{ kind: 'pods-running' }, { kind: 'probe' }],
  wayBack: ['back'],
});

const ok = (detail = 'fine') => ({ ok: true, detail });
const bad = (detail = 'not yet') => ({ ok: false, detail });

/** Runs step `i` (the next one) and its command, at `t`. */
function step(run: ScenarioRun, t: number, result = ok('accepted')): ScenarioRun {
  return commandEnded(def, beginStep(def, run, 'Olivia', t), result, t);
}

describe('scenario definitions', () => {
  it('refuses a scenario whose steps repeat an id, whose way back names no step, or with nothing disruptive', () => {
    const base = { id: 's', title: 'S', summary: 'x', rtoMinutes: 5, recovery: [{ kind: 'probe' }] };
    expect(scenarioSchema.safeParse({ ...base, steps: [{ id: 'a', title: 'A', disruptive: true }, { id: 'a', title: 'B' }] }).error?.message).toMatch(/used twice/);
    expect(scenarioSchema.safeParse({ ...base, steps: [{ id: 'a', title: 'A', disruptive: true }], wayBack: ['nope'] }).error?.message).toMatch(/not a step/);
    expect(scenarioSchema.safeParse({ ...base, steps: [{ id: 'a', title: 'A' }] }).error?.message).toMatch(/stopwatch would never start/);
    expect(scenarioSchema.safeParse({ ...base, steps: [{ id: 'a', title: 'A', disruptive: true, run: { command: 'rm -rf', input: {} } }] }).success).toBe(false);
  });

  it('fills the run’s parameters into commands and checks', () => {
    expect(resolveInput({ cluster: 'all', zone: '$zone' }, { zone: '2' })).toEqual({ cluster: 'all', zone: '2' });
    const run = step(observe(def, step(newRun(def, {}, 'Olivia', 0), 0), { 'pods-running:all': ok() }, 1), 10);
    expect(checksNeeded(def, run).map((c) => c.key)).toEqual(['zone-drained:all:2', 'pods-running:all', 'probe:all']);
  });
});

describe('a scenario run', () => {
  it('waits for each step’s checks, starts the stopwatch at the first disruptive step and stops it when every recovery check passes', () => {
    let run = newRun(def, {}, 'Olivia', 0);
    expect(stopwatchOf(run, 5).state).toBe('idle');
    run = step(run, 1_000);
    expect(run.steps[0].status).toBe('waiting');
    expect(cannotAdvance(run)).toMatch(/baseline.*waiting for its checks/);
    run = observe(def, run, { 'pods-running:all': ok() }, 2_000);
    expect(run.steps[0]).toMatchObject({ status: 'done', endedAt: 2_000 });
    expect(stopwatchOf(run, 3_000).state).toBe('idle'); // the baseline is not a disruption

    run = step(run, 10_000);
    expect(run.stopwatch.startedAt).toBe(10_000);
    // Recovery checks pass before the disruption took effect: the stopwatch runs on.
    run = observe(def, run, { 'pods-running:all': ok(), 'probe:all': ok('200 in 40 ms'), 'zone-drained:all:2': bad('3 pods still in zone 2') }, 20_000);
    expect(stopwatchOf(run, 25_000)).toMatchObject({ state: 'running', elapsedMs: 15_000, withinRto: true });
    run = observe(def, run, { 'pods-running:all': bad('2 Pending'), 'probe:all': ok(), 'zone-drained:all:2': ok() }, 30_000);
    expect(run.steps[1].status).toBe('done');
    expect(stopwatchOf(run, 40_000).state).toBe('running');
    run = observe(def, run, { 'pods-running:all': ok(), 'probe:all': ok() }, 200_000);
    expect(stopwatchOf(run, 500_000)).toEqual({ state: 'stopped', elapsedMs: 190_000, rtoMs: 300_000, withinRto: true });
    expect(run.status).toBe('running'); // the way back has not run yet

    run = observe(def, step(run, 210_000), {}, 211_000);
    expect(run.status).toBe('passed');
    expect(run.endedAt).toBe(211_000);
    expect(cannotAdvance(run)).toMatch(/ended \(passed\)/);
  });

  it('a stopwatch past the RTO says so', () => {
    let run = step(observe(def, step(newRun(def, {}, 'O', 0), 0), { 'pods-running:all': ok() }, 0), 0);
    run = observe(def, run, { 'zone-drained:all:2': ok(), 'pods-running:all': bad(), 'probe:all': ok() }, 10_000);
    expect(stopwatchOf(run, 301_000)).toMatchObject({ state: 'running', withinRto: false });
  });

  it('a failed command ends the run with its reason and offers the way back; no further step runs', () => {
    let run = observe(def, step(newRun(def, {}, 'O', 0), 0), { 'pods-running:all': ok() }, 1);
    run = step(run, 5_000, bad('The Kubernetes API of app1 refused: forbidden'));
    expect(run).toMatchObject({ status: 'failed', endedAt: 5_000, failure: { step: 'cut', reason: 'The Kubernetes API of app1 refused: forbidden', wayBack: ['back'] } });
    expect(run.stopwatch).toEqual({ startedAt: 5_000, stoppedAt: 5_000 });
    expect(() => beginStep(def, run, 'O', 6_000)).toThrow(/ended \(failed\)/);
    expect(checksNeeded(def, run)).toEqual([]);
  });

  it('a step whose checks do not pass within its timeout fails the run, naming the checks', () => {
    let run = observe(def, step(newRun(def, {}, 'O', 0), 0), { 'pods-running:all': ok() }, 1);
    run = step(run, 10_000);
    run = observe(def, run, { 'zone-drained:all:2': bad() }, 69_000);
    expect(run.status).toBe('running');
    run = observe(def, run, { 'zone-drained:all:2': bad() }, 71_000);
    expect(run.failure).toEqual({ step: 'cut', reason: 'Its checks did not pass within 60 s: zone-drained:all:2.', wayBack: ['back'] });
  });

  it('keeps a timeline of changes only, bounded, and bounded probe samples', () => {
    let run = step(newRun(def, {}, 'O', 0), 0);
    for (let t = 1; t <= 5; t++) run = observe(def, run, { 'pods-running:all': bad('1 Pending') }, t);
    expect(run.timeline).toHaveLength(1);
    for (let t = 0; t < MAX_TIMELINE + 50; t++) run = observe(def, run, { 'pods-running:all': bad(`${t} Pending`) }, t);
    expect(run.timeline).toHaveLength(MAX_TIMELINE);
    for (let t = 0; t < MAX_PROBES + 10; t++) run = addProbe(run, { at: t, status: 200, latencyMs: 5 });
    expect(run.probes).toHaveLength(MAX_PROBES);
    expect(run.probes[0].at).toBe(10);
  });

  it('abandoning ends the run and stops the stopwatch', () => {
    const run = abandon(def, step(observe(def, step(newRun(def, {}, 'O', 0), 0), { 'pods-running:all': ok() }, 0), 1_000), 'Olivia', 4_000);
    expect(run).toMatchObject({ status: 'abandoned', stopwatch: { startedAt: 1_000, stoppedAt: 4_000 }, failure: { reason: 'Stopped by Olivia.' } });
  });
});

describe('probe and stopwatch readings', () => {
  it('the probe passes on its last three answers being 2xx', () => {
    expect(probeVerdict([])).toEqual({ ok: false, detail: 'no answer yet' });
    expect(probeVerdict([{ at: 1, status: 503, latencyMs: 10 }, { at: 2, status: 200, latencyMs: 12 }, { at: 3, status: 200, latencyMs: 9 }]).ok).toBe(false);
    expect(probeVerdict([{ at: 1, status: 503, latencyMs: 10 }, { at: 2, status: 200, latencyMs: 12 }, { at: 3, status: 200, latencyMs: 9 }, { at: 4, status: 204, latencyMs: 7 }])).toEqual({ ok: true, detail: '204 in 7 ms' });
    expect(probeVerdict([{ at: 1, status: null, latencyMs: null, error: 'connection refused' }]).detail).toMatch(/connection refused/);
  });

  it('reads like a stopwatch', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(245_900)).toBe('4:05');
    expect(formatElapsed(3_729_000)).toBe('1:02:09');
  });
});

describe('the presenter’s stopwatch key', () => {
  it('starts an idle stopwatch, stops a running one, restarts a stopped one, and is marked as by hand', async () => {
    const { toggleStopwatch } = await import('./scenario');
    let run = toggleStopwatch(newRun(def, {}, 'O', 0), 1_000);
    expect(run.stopwatch).toEqual({ startedAt: 1_000, manual: true });
    run = toggleStopwatch(run, 4_000);
    expect(stopwatchOf(run, 9_000)).toMatchObject({ state: 'stopped', elapsedMs: 3_000 });
    run = toggleStopwatch(run, 10_000);
    expect(stopwatchOf(run, 12_000)).toMatchObject({ state: 'running', elapsedMs: 2_000 });
  });
});

describe('checks in words', () => {
  it('names what a check reads and where', async () => {
    const { checkLabel, resolveCheck } = await import('./scenario');
    expect(checkLabel(resolveCheck({ kind: 'zone-drained', zone: '$zone' }, { zone: '3' }))).toBe('Zone 3 drained on every cluster');
    expect(checkLabel(resolveCheck({ kind: 'power', cluster: '$cluster', phase: 'down' }, { cluster: 'app2' }))).toBe('app2 powered down');
  });
});
