import type { ReactNode } from 'react';
import type { ClusterKey } from '@/lib/domain/cluster';
import type { TopologySnapshot } from '@/lib/topology';
import { ClusterCard, type ClusterActions } from './cluster-card';
import type { PowerOverview } from '@/lib/power/plans';
import { PowerPlan } from '../power/power-plan';
import { PowerControls, type PowerControlActions } from '../power/power-controls';
import { formatAge } from '../ui/age';
import { displayCluster } from '@/lib/config';
import { PermissionNote } from '../ui/permission-note';

export interface OperationRow {
  id: string;
  kind: string;
  target: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
  actorName: string;
}

export interface OverviewActions extends ClusterActions, PowerControlActions {}

/** The overview's heading: the figures come with the topology, streamed after the frame. */
export function OverviewHeading({ topology }: { topology?: TopologySnapshot }) {
  const pools = topology?.clusters.reduce((n, c) => n + (c.view?.pools.length ?? 0), 0);
  return (
    <div className="flex flex-wrap items-end gap-4">
      <div>
        <h1 className="text-xl font-semibold">Environment</h1>
        <p className="text-sm text-slate-600">
          {topology ? `${topology.clusters.length} clusters · ${pools} pools · zones ${topology.zones.join(', ')} · ${topology.location}` : '\u00a0'}
        </p>
      </div>
    </div>
  );
}

export function PowerPermissionNote({ deniedReason }: { deniedReason?: string }) {
  return <PermissionNote deniedReason={deniedReason}>You can watch everything here. Stopping and starting clusters is not available to you:</PermissionNote>;
}

export function PowerSection({ power, actions, now, deniedReason, tearDownDeniedReason, environmentName, clusterNames }: {
  power: PowerOverview;
  actions: OverviewActions;
  now: number;
  deniedReason?: string;
  tearDownDeniedReason?: string;
  environmentName: string;
  clusterNames: Record<string, string>;
}) {
  return <PowerPlan overview={power} now={now} controls={<PowerControls actions={actions} deniedReason={deniedReason} tearDownDeniedReason={tearDownDeniedReason} environmentName={environmentName} clusterNames={clusterNames} />} />;
}

/** One card per cluster; the power plan per card joins in when it has arrived (it is not waited for). */
export function ClusterCards({ topology, power, operations, actions, now, deniedReason, pulse }: {
  topology: TopologySnapshot;
  /** Each cluster's live Azure Monitor charts. */
  pulse?: (cluster: ClusterKey) => ReactNode;
  power?: PowerOverview;
  operations: OperationRow[];
  actions: OverviewActions;
  now: number;
  deniedReason?: string;
}) {
  return (
    <div className="grid gap-4">
      {topology.clusters.map((tile) => (
        <ClusterCard
          key={tile.key}
          tile={tile}
          zones={topology.zones}
          actions={actions}
          now={now}
          deniedReason={deniedReason}
          power={power?.clusters.find((c) => c.key === tile.key)}
          stoppedAt={operations.find((o) => o.target === tile.key && o.kind === 'stop' && o.status === 'Succeeded')?.finishedAt ?? undefined}
          pulse={pulse?.(tile.key)}
        />
      ))}
    </div>
  );
}

export function OperationsTable({ operations, now }: { operations: OperationRow[]; now: number }) {
  return (
    <section aria-label="operations" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 className="mb-2 text-base font-semibold">Recent operations</h2>
      {operations.length === 0 ? (
        <p className="text-sm text-slate-500">No stop or start yet.</p>
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-400">
              <th className="font-medium">When</th><th className="font-medium">What</th><th className="font-medium">Cluster</th><th className="font-medium">By</th><th className="font-medium">Status</th>
            </tr>
          </thead>
          <tbody>
            {operations.map((op) => (
              <tr key={op.id} className="border-t border-slate-100">
                <td className="py-1">{formatAge(now - op.startedAt.getTime())}</td>
                <td>{op.kind}</td>
                <td>{displayCluster(op.target)}</td>
                <td>{op.actorName}</td>
                <td className={op.status === 'Failed' || op.status === 'Interrupted' ? 'text-rose-700' : ''}>
                  {op.status}
                  {op.finishedAt ? ` in ${Math.round((op.finishedAt.getTime() - op.startedAt.getTime()) / 1000)} s` : ''}
                  {op.error ? ` — ${op.error}` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
