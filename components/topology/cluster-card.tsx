import type { ReactNode } from 'react';
import type { ClusterTile } from '@/lib/topology';
import type { PoolView } from '@/lib/domain/topology';
import { formatAge } from '../ui/age';
import type { ClusterPowerView } from '@/lib/power/plans';
import { PowerButton, type ServerAction } from '../power/power-button';

export interface ClusterActions {
  stop: ServerAction<{ cluster: string }>;
  start: ServerAction<{ cluster: string }>;
  sleep: ServerAction<{ cluster: string; freeTier: boolean }>;
  wake: ServerAction<{ cluster: string }>;
}

function stateLabel(tile: ClusterTile): { text: string; tone: string } {
  const v = tile.view;
  if (!v) return tile.status === 'absent' ? { text: 'Not deployed', tone: 'bg-slate-200 text-slate-700' } : { text: 'Unavailable', tone: 'bg-rose-100 text-rose-800' };
  if (v.provisioningState === 'Stopping') return { text: 'Stopping', tone: 'bg-amber-100 text-amber-800 animate-pulse' };
  if (v.provisioningState === 'Starting') return { text: 'Starting', tone: 'bg-amber-100 text-amber-800 animate-pulse' };
  if (v.powerState === 'Running') return { text: 'Running', tone: 'bg-emerald-100 text-emerald-800' };
  if (v.powerState === 'Stopped') return { text: 'Stopped', tone: 'bg-slate-200 text-slate-700' };
  return { text: v.powerState, tone: 'bg-slate-100 text-slate-700' };
}

function PoolRow({ cluster, pool, zones }: { cluster: string; pool: PoolView; zones: readonly string[] }) {
  return (
    <tr aria-label={`pool ${cluster}/${pool.name}`} className="border-t border-slate-100 align-top">
      <th scope="row" className="py-2 pr-3 text-left font-medium">
        {pool.name}
        <div className="text-xs font-normal text-slate-500">
          {pool.source === 'nodeAutoProvisioning' ? 'node auto-provisioning' : `${pool.mode} pool`}
        </div>
      </th>
      <td className="py-2 pr-3">
        <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${pool.priority === 'Spot' ? 'bg-violet-100 text-violet-800' : 'bg-sky-100 text-sky-800'}`}>
          {pool.priority}
        </span>
        <div className="mt-1 text-xs text-slate-500">{pool.vmSize ?? '—'}</div>
      </td>
      {zones.map((z) => {
        const n = pool.perZone[z as keyof typeof pool.perZone];
        const live = pool.liveZones?.[z as keyof typeof pool.perZone];
        const inZone = pool.zones.includes(z);
        if (live) {
          // The cluster's own nodes in this zone: Ready ones, and any that are not (a zone failure shows here).
          return (
            <td key={z} className="py-2 pr-3 text-center tabular-nums" aria-label={`zone ${z}`} title="nodes Ready in this zone, from the cluster's nodes">
              {!inZone && live.ready + live.notReady === 0 ? <span className="text-slate-300">—</span> : live.ready}
              {live.notReady > 0 && <div className="text-[11px] text-rose-700">+{live.notReady} NotReady</div>}
            </td>
          );
        }
        return (
          <td key={z} className="py-2 pr-3 text-center tabular-nums text-slate-500" aria-label={`zone ${z}`} title="configured spread (ARM): the cluster's nodes were not read">
            {!inZone ? <span className="text-slate-300">—</span> : n === null ? <span className="text-xs">NAP</span> : <>{n}<div className="text-[11px]">configured</div></>}
          </td>
        );
      })}
      <td className="py-2 text-xs break-words text-slate-600">
        {pool.count !== null ? <div>{pool.count} nodes{pool.autoscale ? ` · autoscale ${pool.autoscale.min}–${pool.autoscale.max}` : ''}</div> : <div>{pool.note}</div>}
        {pool.taints.length > 0 && <div>taints: {pool.taints.join(', ')}</div>}
        {Object.keys(pool.labels).length > 0 && (
          <div className="text-slate-500">labels: {Object.entries(pool.labels).map(([k, v]) => `${k}=${v}`).join(', ')}</div>
        )}
      </td>
    </tr>
  );
}

/** AKS asks for 15–30 minutes between a stop and the next start of a cluster. */
const STOP_TO_START_MS = 30 * 60_000;

export function ClusterCard({ tile, zones, actions, now, deniedReason, power, stoppedAt, pulse }: { tile: ClusterTile; zones: readonly string[]; actions: ClusterActions; now: number; deniedReason?: string; power?: ClusterPowerView; /** When this dashboard last saw a stop of this cluster succeed. */ stoppedAt?: Date; /** The cluster's live Azure Monitor charts, streamed on their own. */ pulse?: ReactNode }) {
  const v = tile.view;
  const state = stateLabel(tile);
  return (
    <section aria-label={tile.name} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-start gap-3">
        <div>
          <h2 className="text-base font-semibold">
            {tile.name}
          </h2>
          <div className="text-xs text-slate-500">{tile.resourceGroup}</div>
        </div>
        <span aria-label="power state" className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${state.tone}`}>
          {state.text}
        </span>
        {v && (
          <div className="ml-auto flex gap-2">
            <PowerButton label="Stop" variant="danger" action={actions.stop} input={{ cluster: tile.key }} disabledReason={deniedReason ?? (v.stop.allowed ? undefined : v.stop.reason)} confirm={`Stop ${tile.name}? Its nodes are deallocated; AKS keeps the cluster state.`} />
            <PowerButton label="Start" action={actions.start} input={{ cluster: tile.key }} disabledReason={deniedReason ?? (v.start.allowed ? undefined : v.start.reason)} />
            {v.nodeProvisioningMode === 'Auto' && (
              <>
                {/* AKS refuses to stop a cluster with node auto-provisioning; sleep is what powers it down. */}
                <PowerButton label="Sleep" variant="danger" action={actions.sleep} input={{ cluster: tile.key, freeTier: false }} disabledReason={deniedReason ?? (!power?.down ? 'No plan: the cluster state could not be read.' : power.down.action === 'none' ? power.down.reason : undefined)} confirm={`Put ${tile.name} to sleep? ${power?.down?.steps.length ?? 0} steps; its applications stop until it wakes.`} summary="environment" clusterNames={{ [tile.key]: tile.name }} />
                <PowerButton label="Wake" action={actions.wake} input={{ cluster: tile.key }} disabledReason={deniedReason ?? (!power?.up ? 'No plan: the cluster state could not be read.' : power.up.action === 'none' ? power.up.reason : undefined)} summary="environment" clusterNames={{ [tile.key]: tile.name }} />
              </>
            )}
          </div>
        )}
      </div>

      {tile.status === 'absent' && (
        <p role="status" className="mt-3 rounded bg-slate-50 px-3 py-2 text-sm text-slate-700">
          Not deployed: ARM has no cluster {tile.name} in {tile.resourceGroup} ({tile.error?.code}). Create it with a plan and apply on the Jobs page.
        </p>
      )}
      {(tile.status === 'stale' || tile.status === 'failed') && (
        <p role="alert" className="mt-3 rounded bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {tile.status === 'stale' ? `Stale — showing the answer from ${formatAge(now - (tile.fetchedAt ?? now))}. ` : 'Could not read this cluster. '}
          {tile.error?.code ? `${tile.error.code}: ` : ''}
          {tile.error?.message}
        </p>
      )}

      {v && (
        <>
          <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 text-xs text-slate-600 sm:grid-cols-4">
            <div><dt className="inline text-slate-400">Kubernetes </dt><dd className="inline">{v.kubernetesVersion ?? '—'}</dd></div>
            <div><dt className="inline text-slate-400">Tier </dt><dd className="inline">{v.tier}</dd></div>
            <div><dt className="inline text-slate-400">Node provisioning </dt><dd className="inline">{v.nodeProvisioningMode}</dd></div>
            <div><dt className="inline text-slate-400">API server </dt><dd className="inline">{v.privateCluster ? 'private' : 'public'}</dd></div>
            <div className="col-span-2"><dt className="inline text-slate-400">Network </dt><dd className="inline">{v.network || '—'}</dd></div>
            <div className="col-span-2"><dt className="inline text-slate-400">Provisioning </dt><dd className="inline">{v.provisioningState}</dd></div>
          </dl>
          {v.powerState === 'Stopped' && stoppedAt && now - stoppedAt.getTime() < STOP_TO_START_MS && (
            <p role="note" aria-label="start soon after stop" className="mt-2 rounded bg-amber-50 px-3 py-2 text-xs text-amber-900">
              Stopped {formatAge(now - stoppedAt.getTime())}: AKS asks for 15–30 minutes between a stop and a start; a start now may fail or take longer.
            </p>
          )}
          {!v.stop.allowed && v.nodeProvisioningMode === 'Auto' && (
            <p className="mt-2 rounded bg-slate-50 px-3 py-2 text-xs text-slate-700" aria-label="why it cannot stop">
              <strong>Cannot stop:</strong> {v.stop.reason}
            </p>
          )}
          <table aria-label={`pools of ${tile.name}`} className="mt-3 w-full text-sm">
            <thead>
              <tr className="text-left text-xs uppercase tracking-wide text-slate-400">
                <th className="pb-1 font-medium">Pool</th>
                <th className="pb-1 font-medium">Priority</th>
                {zones.map((z) => (
                  <th key={z} className="w-20 whitespace-nowrap pb-1 text-center font-medium">Zone {z}</th>
                ))}
                <th className="pb-1 font-medium">Details</th>
              </tr>
            </thead>
            <tbody>
              {v.pools.map((p) => (
                <PoolRow key={p.name} cluster={tile.key} pool={p} zones={zones} />
              ))}
            </tbody>
          </table>
        </>
      )}
      {pulse}
      {tile.fetchedAt && (
        <p className="mt-2 text-right text-[11px] text-slate-400">
          read {formatAge(now - tile.fetchedAt)} from ARM{v?.pools.some((p) => p.liveZones) ? '; nodes per zone (Ready) from the cluster’s nodes' : '; nodes per zone as configured, the cluster’s nodes not read'}
        </p>
      )}
    </section>
  );
}
