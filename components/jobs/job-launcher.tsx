'use client';

import { CLUSTER_KEYS, type ClusterKey } from '@/lib/domain/cluster';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { errorText, type ActionResult, type ServerAction } from '../ui/action';

type Target = ClusterKey | 'all';

export interface LauncherActions {
  dryRunAddOns: ServerAction<{ cluster: Target }>;
  verifyClusters: ServerAction<{ cluster: ClusterKey }>;
  initInfrastructure: ServerAction<Record<string, never>>;
  planInfrastructure: ServerAction<Record<string, never>>;
  installAddOns: ServerAction<{ cluster: Target }>;
  destroyEnvironment: ServerAction<{ confirm: string }>;
}

interface Props {
  actions: LauncherActions;
  /** Key → resource name: clusters are named as on every page. */
  clusterNames: Record<ClusterKey, string>;
  environmentName: string;
  /** Why the Operator-level jobs are unavailable (undefined: allowed). */
  planWhyNot?: string;
  /** Why the Admin-level jobs are unavailable. */
  applyWhyNot?: string;
  simulate: boolean;
}

const button = 'rounded px-3 py-1.5 text-sm font-medium text-white disabled:cursor-not-allowed disabled:bg-slate-300';

/** Starts jobs; on success opens the job's page with its live log. */
export function JobLauncher({ actions, clusterNames, environmentName, planWhyNot, applyWhyNot, simulate }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [target, setTarget] = useState<Target>('app1');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);

  function run(call: () => Promise<ActionResult>) {
    setError(null);
    startTransition(async () => {
      const r = await call();
      if (r.ok) router.push(`/jobs/${(r.data as { jobId: string }).jobId}`);
      else setError(errorText(r.error));
    });
  }

  const single = target === 'all' ? undefined : target;
  return (
    <section aria-label="start a job" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs text-slate-500">Cluster</span>
          <select aria-label="Cluster" value={target} onChange={(e) => setTarget(e.target.value as Target)} className="rounded border border-slate-300 px-2 py-1">
            {(['all', ...CLUSTER_KEYS] as const).map((c) => (
              <option key={c} value={c}>{c === 'all' ? 'all clusters' : clusterNames[c]}</option>
            ))}
          </select>
        </label>
        <button type="button" className={`${button} bg-slate-800 hover:bg-slate-900`} disabled={pending || Boolean(planWhyNot)} title={planWhyNot}
          onClick={() => run(() => actions.dryRunAddOns({ cluster: target }))}>
          Dry run add-ons
        </button>
        <button type="button" className={`${button} bg-slate-800 hover:bg-slate-900`} disabled={pending || Boolean(planWhyNot) || !single} title={planWhyNot ?? (!single ? 'Choose one cluster.' : undefined)}
          onClick={() => single && run(() => actions.verifyClusters({ cluster: single }))}>
          Verify clusters
        </button>
        <button type="button" className={`${button} bg-emerald-700 hover:bg-emerald-800`} disabled={pending || Boolean(applyWhyNot)} title={applyWhyNot}
          onClick={() => window.confirm(`Install the add-ons on ${target === 'all' ? 'all clusters' : clusterNames[target]}${simulate ? ' (simulated on the twin)' : ''}?`) && run(() => actions.installAddOns({ cluster: target }))}>
          Install add-ons
        </button>
        <span className="mx-2 h-8 w-px bg-slate-200" />
        <button type="button" className={`${button} bg-slate-800 hover:bg-slate-900`} disabled={pending || Boolean(planWhyNot)} title={planWhyNot}
          onClick={() => run(() => actions.initInfrastructure({}))}>
          tofu init
        </button>
        <button type="button" className={`${button} bg-sky-700 hover:bg-sky-800`} disabled={pending || Boolean(planWhyNot)} title={planWhyNot}
          onClick={() => run(() => actions.planInfrastructure({}))}>
          Plan
        </button>
      </div>
      <form
        aria-label="destroy the environment"
        className="flex flex-wrap items-end gap-3 border-t border-slate-100 pt-3"
        onSubmit={(e) => {
          e.preventDefault();
          run(() => actions.destroyEnvironment({ confirm }));
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-xs text-slate-500">Type <code className="font-mono">{environmentName}</code> to destroy the whole environment</span>
          <input aria-label="Environment name to confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" className="rounded border border-slate-300 px-2 py-1 font-mono" />
        </label>
        <button type="submit" className={`${button} bg-rose-600 hover:bg-rose-700`} disabled={pending || Boolean(applyWhyNot) || confirm !== environmentName} title={applyWhyNot}>
          Destroy
        </button>
      </form>
      {(planWhyNot || applyWhyNot) && <p className="text-xs text-slate-500">{applyWhyNot && `Apply, install and destroy: ${applyWhyNot}`} {planWhyNot && `Plan, dry run and verify: ${planWhyNot}`}</p>}
      {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
    </section>
  );
}
