'use client';

import type { ScheduleScope } from '@/lib/domain/schedule';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { CLUSTER_KEYS, type ClusterKey } from '@/lib/domain/cluster';
import type { ActionResult, ServerAction } from '../ui/action';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export interface ScheduleFormValue {
  id?: string;
  name: string;
  action: 'stop' | 'start';
  scope: ScheduleScope;
  days: number[];
  time: string;
  timeZone: string;
  holidays: string[];
  enabled: boolean;
}

/** Create or edit a schedule (Admin). */
export function ScheduleForm({ initial, save, disabledReason, submitLabel, clusterNames }: { initial: ScheduleFormValue; save: ServerAction<ScheduleFormValue>; disabledReason?: string; submitLabel: string; /** Key → resource name, as every page names clusters. */ clusterNames: Record<ClusterKey, string> }) {
  const router = useRouter();
  const [value, setValue] = useState(initial);
  const [holidays, setHolidays] = useState(initial.holidays.join(', '));
  const [result, setResult] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const set = <K extends keyof ScheduleFormValue>(k: K, v: ScheduleFormValue[K]) => setValue((s) => ({ ...s, [k]: v }));
  const disabled = Boolean(disabledReason);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    startTransition(async () => {
      const r = await save({ ...value, holidays: holidays.split(/[\s,]+/).filter(Boolean) });
      setResult(r);
      if (r.ok) router.refresh();
    });
  }

  return (
    <form onSubmit={submit} aria-label={`${submitLabel} form`} className="flex flex-wrap items-end gap-3 text-sm">
      <fieldset disabled={disabled} className="contents">
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Name</span>
          <input aria-label="Name" value={value.name} onChange={(e) => set('name', e.target.value)} className="rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Action</span>
          <select aria-label="Action" value={value.action} onChange={(e) => set('action', e.target.value as ScheduleFormValue['action'])} className="rounded border border-slate-300 px-2 py-1">
            <option value="stop">power down</option>
            <option value="start">power up</option>
          </select>
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Scope</span>
          <select aria-label="Scope" value={value.scope} onChange={(e) => set('scope', e.target.value as ScheduleFormValue['scope'])} className="rounded border border-slate-300 px-2 py-1">
            <option value="all">all clusters</option>
            {CLUSTER_KEYS.map((c) => <option key={c} value={c}>{clusterNames[c]}</option>)}
          </select>
        </label>
        <div role="group" aria-label="Days" className="flex gap-1">
          {DAYS.map((d, i) => (
            <label key={d} className="flex flex-col items-center text-xs text-slate-500">
              {d}
              <input
                type="checkbox"
                aria-label={d}
                checked={value.days.includes(i + 1)}
                onChange={(e) => set('days', e.target.checked ? [...value.days, i + 1] : value.days.filter((x) => x !== i + 1))}
              />
            </label>
          ))}
        </div>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Time</span>
          <input aria-label="Time" type="time" value={value.time} onChange={(e) => set('time', e.target.value)} className="rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Time zone (IANA)</span>
          <input aria-label="Time zone" value={value.timeZone} onChange={(e) => set('timeZone', e.target.value)} className="w-36 rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs text-slate-500">Holidays (YYYY-MM-DD, …)</span>
          <input aria-label="Holidays" value={holidays} onChange={(e) => setHolidays(e.target.value)} className="w-48 rounded border border-slate-300 px-2 py-1" />
        </label>
        <label className="flex items-center gap-1 pb-1">
          <input type="checkbox" aria-label="Enabled" checked={value.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          <span className="text-xs">enabled</span>
        </label>
        <button type="submit" disabled={pending} title={disabledReason} className="rounded bg-slate-900 px-3 py-1.5 text-white disabled:bg-slate-300">
          {pending ? 'Saving…' : submitLabel}
        </button>
      </fieldset>
      {result && !result.ok && (
        <p role="alert" className="w-full text-xs text-rose-700">{result.error.message}</p>
      )}
      {result?.ok && <p role="status" className="w-full text-xs text-emerald-700">Saved. Saving never fires a run that is already due.</p>}
    </form>
  );
}
