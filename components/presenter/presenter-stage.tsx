'use client';

import { useCallback, useEffect, useMemo, useState, useTransition } from 'react';
import { CLUSTER_KEYS, type ClusterKey } from '@/lib/domain/cluster';
import type { ProbeSample, ScenarioRun } from '@/lib/domain/scenario';
import { formatElapsed, stopwatchOf } from '@/lib/domain/stopwatch';
import type { PresenterView, ScenarioCard } from '@/lib/presenter';
import { useZoneTiles } from '@/components/zones/use-zone-tiles';
import { EnvironmentPicture, Legend } from './environment-picture';
import type { ActionResult } from '../ui/action';

export type { ActionResult } from '../ui/action';

export interface PresenterActions {
  start: (input: { scenario: string; zone?: '1' | '2' | '3'; cluster?: ClusterKey }) => Promise<ActionResult>;
  step: (input: { id: string }) => Promise<ActionResult>;
  stopwatch: (input: { id: string }) => Promise<ActionResult>;
  abandon: (input: { id: string }) => Promise<ActionResult>;
  wayBack: (input: { id: string }) => Promise<ActionResult>;
}

const STEP_STYLE: Record<string, string> = {
  pending: 'text-slate-500',
  running: 'text-sky-700 font-semibold',
  waiting: 'text-sky-700 font-semibold',
  done: 'text-emerald-700',
  failed: 'text-rose-700 font-semibold',
};
const STEP_ICON: Record<string, string> = { pending: '○', running: '◔', waiting: '◑', done: '●', failed: '✕' };

/** The stopwatch, ticking in the browser from the run's stored start (server time, offset for this browser's clock). */
function Stopwatch({ run, offsetMs }: { run: ScenarioRun; offsetMs: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const sw = stopwatchOf(run, now + offsetMs);
  const colour = sw.state === 'idle' ? 'text-slate-400' : sw.withinRto ? (sw.state === 'stopped' ? 'text-emerald-600' : 'text-slate-900') : 'text-rose-600';
  return (
    <div role="timer" aria-label="stopwatch" data-state={sw.state} data-within-rto={sw.withinRto} className="text-right">
      <p className={`font-mono text-[clamp(2.5rem,6vw,7rem)] font-bold leading-none tabular-nums ${colour}`}>{formatElapsed(sw.elapsedMs)}</p>
      <p className="text-[clamp(0.9rem,1.2vw,1.4rem)] text-slate-600">
        {sw.rtoMs === null ? 'no RTO: timing only' : `RTO ${formatElapsed(sw.rtoMs)}`}
        {' · '}
        {sw.state === 'idle' ? 'starts at the first disruptive step' : sw.state === 'running' ? (sw.withinRto ? 'running' : 'over the RTO') : sw.withinRto ? (run.stopwatch.manual ? 'stopped by hand' : 'recovered within the RTO') : 'recovered after the RTO'}
      </p>
    </div>
  );
}

/** The probe's answers over time: one bar per request, its height the latency, red when it failed. */
function ProbeStrip({ samples, url }: { samples: ProbeSample[]; url?: string }) {
  const recent = samples.slice(-90);
  const max = Math.max(100, ...recent.map((s) => s.latencyMs ?? 0));
  const last = recent.at(-1);
  const failed = recent.filter((s) => s.status === null || s.status >= 400).length;
  return (
    <section aria-label="probe" className="rounded-lg border border-slate-200 bg-white p-3">
      <h3 className="text-[clamp(0.9rem,1.2vw,1.4rem)] font-semibold">
        Requests to the demo application{' '}
        <span className="font-normal text-slate-600">
          {url ? `(${url}, one per second)` : '(no public entry configured: DEMO_APP_URL)'}
        </span>
      </h3>
      <div aria-hidden className="mt-2 flex h-16 items-end gap-px">
        {recent.map((s) => (
          <span key={s.at} className={`w-1.5 ${s.status !== null && s.status < 400 ? 'bg-emerald-500' : 'bg-rose-600'}`} style={{ height: `${s.latencyMs === null ? 100 : Math.max(6, (s.latencyMs / max) * 100)}%` }} />
        ))}
      </div>
      <p aria-label="last probe" className="mt-1 text-[clamp(0.9rem,1.1vw,1.3rem)]">
        {last ? `${last.status ?? last.error ?? 'no answer'}${last.latencyMs !== null ? ` in ${last.latencyMs} ms` : ''}${last.servedBy ? ` · served by ${last.servedBy}` : ''}` : 'no request yet'}
        {recent.length > 0 && ` · ${recent.length - failed} of ${recent.length} answered`}
      </p>
    </section>
  );
}

function Checks({ keys, run, labels }: { keys: string[]; run: ScenarioRun; labels: Record<string, string> }) {
  return (
    <ul aria-label="recovery checks" className="space-y-1">
      {keys.map((k) => {
        const c = run.checks[k];
        return (
          <li key={k} data-ok={c?.ok ?? false} className="flex gap-2 text-[clamp(0.9rem,1.2vw,1.4rem)]">
            <span aria-hidden className={c?.ok ? 'text-emerald-600' : 'text-slate-400'}>{c?.ok ? '✔' : '…'}</span>
            <span>
              <span className="font-semibold">{labels[k] ?? k}</span>
              {c && <span className="text-slate-600">: {c.detail}</span>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function Chooser({ scenarios, names, onStart, disabled, whyNot }: { scenarios: ScenarioCard[]; /** Key → resource name, as every page names clusters. */ names: Record<string, string>; onStart: (input: Parameters<PresenterActions['start']>[0]) => void; disabled: boolean; whyNot?: string }) {
  const [zone, setZone] = useState<'1' | '2' | '3'>('1');
  const [cluster, setCluster] = useState<ClusterKey>('app1');
  return (
    <section aria-label="scenarios" className="grid grid-cols-2 gap-4">
      {scenarios.map((s) => (
        <article key={s.id} aria-label={s.title} className="rounded-lg border border-slate-200 bg-white p-4">
          <h3 className="text-[clamp(1.1rem,1.6vw,2rem)] font-semibold">{s.title}</h3>
          <p className="text-[clamp(0.9rem,1.1vw,1.3rem)] text-slate-700">{s.summary}</p>
          <p className="mt-1 text-sm text-slate-600">{s.rtoMinutes ? `RTO ${s.rtoMinutes} min. ` : ''}{s.rtoSource}</p>
          <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
            {s.params.zone !== undefined && (
              <label>zone{' '}
                <select value={zone} onChange={(e) => setZone(e.target.value as typeof zone)} className="rounded border px-1">
                  {['1', '2', '3'].map((z) => <option key={z}>{z}</option>)}
                </select>
              </label>
            )}
            {s.params.cluster !== undefined && (
              <label>cluster{' '}
                <select value={cluster} onChange={(e) => setCluster(e.target.value as typeof cluster)} className="rounded border px-1">
                  {CLUSTER_KEYS.map((c) => <option key={c} value={c}>{names[c] ?? c}</option>)}
                </select>
              </label>
            )}
            <button
              type="button"
              disabled={disabled}
              title={whyNot}
              className="rounded bg-sky-700 px-3 py-1.5 font-medium text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:bg-slate-300"
              onClick={() => onStart({ scenario: s.id, zone: s.params.zone !== undefined ? zone : undefined, cluster: s.params.cluster !== undefined ? cluster : undefined })}
            >
              Start {s.title.toLowerCase()}
            </button>
          </div>
        </article>
      ))}
      {whyNot && <p className="col-span-2 text-sm text-slate-600">{whyNot}</p>}
    </section>
  );
}

/**
 * The presenter's stage (and, with `audience`, the audience's screen): the
 * environment as a picture, the scenario's steps, the stopwatch against the
 * RTO, the recovery checks turning green and the probe's answers. Presenter
 * keys: → / PageDown / Space run the next step, ← / PageUp show the previous
 * step's notes, S starts or stops the stopwatch, N shows or hides the notes,
 * F goes full screen. The audience screen has no buttons and no keys but F.
 */
export function PresenterStage({ view, mode, canOperate, whyNot, actions, zonesUrl, monitor }: {
  view: PresenterView;
  mode: 'presenter' | 'audience';
  canOperate: boolean;
  whyNot?: string;
  actions?: PresenterActions;
  zonesUrl?: string;
  /** Azure Monitor's evidence (alerts, CPU by zone), where the viewer may read it. */
  monitor?: React.ReactNode;
}) {
  const { tiles, live, receivedAt } = useZoneTiles(view.zones.clusters, zonesUrl);
  // Ages of stale rows, read against a clock that moves while nothing arrives.
  const [clock, setClock] = useState(view.generatedAt);
  useEffect(() => {
    const t = setInterval(() => setClock(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);
  const [notes, setNotes] = useState(true);
  const [cursor, setCursor] = useState<number | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  // The server's clock minus this browser's, so the stopwatch reads server time.
  const [offsetMs] = useState(() => view.generatedAt - Date.now());
  const current = view.current;
  const run = current?.run;
  const operate = mode === 'presenter' && canOperate && actions !== undefined;

  const call = useCallback(
    (label: string, fn: () => Promise<ActionResult>) => {
      setMessage(null);
      startTransition(async () => {
        const r = await fn();
        if (!r.ok) setMessage({ ok: false, text: `${label}: ${r.error.message}` });
        else {
          const d = r.data as { ok?: boolean; detail?: string } | undefined;
          setMessage(d && d.ok === false ? { ok: false, text: `${label}: ${d.detail}` } : { ok: true, text: `${label}: ${d?.detail ?? 'done'}` });
        }
      });
    },
    [],
  );

  const shown = cursor ?? Math.min(run?.current ?? 0, (current?.scenario.steps.length ?? 1) - 1);
  const next = useCallback(() => {
    if (!operate || !current || pending) return;
    setCursor(null);
    call(`Step ${current.run.current + 1}`, () => actions!.step({ id: current.id }));
  }, [operate, current, pending, call, actions]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(e.target.tagName) && e.key === ' ') return;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      const key = e.key.toLowerCase();
      if (key === 'f') {
        if (document.fullscreenElement) void document.exitFullscreen();
        else void document.documentElement.requestFullscreen?.().catch(() => undefined);
        return;
      }
      if (mode !== 'presenter') return;
      if (key === 'arrowright' || key === 'pagedown' || key === ' ') {
        e.preventDefault();
        next();
      } else if (key === 'arrowleft' || key === 'pageup') {
        e.preventDefault();
        setCursor((c) => Math.max(0, (c ?? shown) - 1));
      } else if (key === 'n') setNotes((n) => !n);
      else if (key === 's' && operate && current) call('Stopwatch', () => actions!.stopwatch({ id: current.id }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [mode, next, shown, operate, current, call, actions]);

  const checkKeys = useMemo(() => {
    if (!current || !run) return [];
    const waiting = current.scenario.steps.flatMap((s, i) => (run.steps[i].status === 'waiting' || run.steps[i].status === 'running' ? s.checks : []));
    return [...new Set([...waiting, ...current.recovery])];
  }, [current, run]);

  return (
    <div className="relative left-1/2 w-[calc(100vw-3rem)] max-w-[1900px] -translate-x-1/2 space-y-4" data-mode={mode}>
      <div className="flex items-start justify-between gap-6">
        <div>
          <h1 className="text-[clamp(1.6rem,3vw,3.5rem)] font-bold leading-tight">{current ? current.scenario.title : mode === 'audience' ? 'Waiting for the presenter' : 'Choose a scenario'}</h1>
          {current && run && (
            <p aria-label="current step" className="text-[clamp(1.2rem,2.2vw,2.6rem)] text-slate-800">
              {run.status === 'passed'
                ? 'Recovered: every step done and every check green.'
                : run.status === 'failed' || run.status === 'abandoned'
                  ? `Stopped at “${current.scenario.steps.find((s) => s.id === run.failure?.step)?.title ?? run.failure?.step}”`
                  : `Step ${Math.min(run.current + 1, run.steps.length)} of ${run.steps.length}: ${current.scenario.steps[Math.min(run.current, run.steps.length - 1)].title}`}
            </p>
          )}
          <p role="status" aria-label="live updates" className="text-xs text-slate-500">{live === 'live' ? '● live' : '○ connecting…'}</p>
        </div>
        {run && <Stopwatch run={run} offsetMs={offsetMs} />}
      </div>

      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={`rounded px-3 py-2 text-[clamp(0.9rem,1.1vw,1.3rem)] ${message.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-rose-50 text-rose-900'}`}>{message.text}</p>
      )}

      {run?.failure && (
        <section aria-label="why the run stopped" className="rounded-lg border-2 border-rose-300 bg-rose-50 p-3 text-[clamp(0.9rem,1.2vw,1.4rem)]">
          <p className="font-semibold text-rose-900">{run.status === 'abandoned' ? 'Stopped' : 'Failed'}: {run.failure.reason}</p>
          {run.failure.wayBack.length > 0 && (
            <p className="mt-1">
              The way back: {run.failure.wayBack.map((id) => current?.scenario.steps.find((s) => s.id === id)?.title ?? id).join(', ')}.{' '}
              {operate && current && !(run.memo.wayBack?.length) && (
                <button type="button" disabled={pending} className="rounded bg-emerald-700 px-3 py-1 text-white disabled:bg-slate-300" onClick={() => call('Way back', () => actions!.wayBack({ id: current.id }))}>
                  Put the environment back
                </button>
              )}
              {run.memo.wayBack?.length ? <span className="text-slate-700"> Done: {run.memo.wayBack.join('; ')}</span> : null}
            </p>
          )}
        </section>
      )}

      <EnvironmentPicture tiles={tiles} highlightZone={run?.params.zone} now={Math.max(clock, receivedAt ?? 0)} />
      <Legend />
      {monitor}

      {current && run ? (
        <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] gap-4">
          <section aria-label="steps" className="rounded-lg border border-slate-200 bg-white p-3">
            <ol className="space-y-1">
              {current.scenario.steps.map((s, i) => (
                <li key={s.id} data-status={run.steps[i].status} className={`text-[clamp(1rem,1.4vw,1.7rem)] ${STEP_STYLE[run.steps[i].status]} ${i === shown ? 'underline decoration-sky-400 decoration-2 underline-offset-4' : ''}`}>
                  <span aria-hidden>{STEP_ICON[run.steps[i].status]} </span>
                  {s.title}
                  {s.disruptive && <span className="ml-2 rounded bg-amber-100 px-1 text-xs text-amber-900">disruptive</span>}
                  {run.steps[i].detail && <span className="block pl-6 text-sm font-normal text-slate-600">{run.steps[i].detail}</span>}
                </li>
              ))}
            </ol>
            {mode === 'presenter' && notes && (
              <aside aria-label="speaker notes" className="mt-3 rounded bg-amber-50 p-3 text-[clamp(1rem,1.3vw,1.6rem)] text-amber-950">
                {current.scenario.steps[shown]?.notes || 'No notes for this step.'}
              </aside>
            )}
            {operate && (run.status === 'ready' || run.status === 'running') && (
              <div className="mt-3 flex flex-wrap gap-2">
                <button type="button" disabled={pending || run.current >= run.steps.length} className="rounded bg-sky-700 px-4 py-2 text-lg font-semibold text-white hover:bg-sky-800 disabled:bg-slate-300" onClick={next}>
                  Run next step →
                </button>
                <button type="button" disabled={pending} className="rounded border border-slate-300 px-3 py-2" onClick={() => call('Stopwatch', () => actions!.stopwatch({ id: current.id }))}>Start/stop stopwatch (S)</button>
                <button type="button" disabled={pending} className="rounded border border-rose-300 px-3 py-2 text-rose-800" onClick={() => window.confirm('Stop this run? It is kept in the reports.') && call('Stop run', () => actions!.abandon({ id: current.id }))}>Stop the run</button>
              </div>
            )}
          </section>
          <div className="space-y-4">
            <section className="rounded-lg border border-slate-200 bg-white p-3">
              <Checks keys={checkKeys} run={run} labels={current.scenario.labels} />
            </section>
            <ProbeStrip samples={run.probes} url={view.probeUrl} />
            {Object.entries(run.memo).filter(([k]) => k.startsWith('evidence:')).map(([k, lines]) => (
              <section key={k} aria-label={`what Kubernetes recorded on ${k.slice('evidence:'.length)}`} className="rounded-lg border border-slate-200 bg-white p-3">
                <h3 className="text-[clamp(0.9rem,1.2vw,1.4rem)] font-semibold">What Kubernetes recorded on {k.slice('evidence:'.length)}</h3>
                <ul className="mt-1 space-y-0.5 font-mono text-[clamp(0.7rem,0.9vw,1rem)]">
                  {lines.map((l) => <li key={l}>{l}</li>)}
                </ul>
              </section>
            ))}
          </div>
        </div>
      ) : null}

      {mode === 'presenter' && actions && (!run || run.endedAt !== undefined) && (
        <Chooser scenarios={view.scenarios} names={Object.fromEntries(view.zones.clusters.map((c) => [c.key, c.name]))} onStart={(i) => call('Start', () => actions.start(i))} disabled={!canOperate || pending} whyNot={whyNot} />
      )}

      {mode === 'presenter' && (
        <p className="text-sm text-slate-500">Keys: → or PageDown runs the next step · ← or PageUp shows the previous step’s notes · S stopwatch · N notes · F full screen</p>
      )}
    </div>
  );
}
