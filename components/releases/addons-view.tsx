import type { ClusterAddons, ExtensionRow, ExtensionVerdict, FluxRow, FluxVerdict, MeshRow, MeshVerdict, ReadState } from '@/lib/releases';
import { formatAge } from '@/components/ui/age';
import { When } from '@/components/ui/when';

type Tone = 'good' | 'warn' | 'bad' | 'quiet';
const TONE: Record<Tone, string> = { good: 'text-emerald-700', warn: 'text-amber-800 font-semibold', bad: 'text-rose-700 font-semibold', quiet: 'text-slate-600' };
const ROW: Partial<Record<Tone, string>> = { warn: 'bg-amber-50', bad: 'bg-rose-50' };

const MESH_TONE: Record<MeshVerdict, Tone> = { supported: 'good', unsupported: 'bad', 'not-enabled': 'quiet', unknown: 'warn' };
const EXTENSION_TONE: Record<ExtensionVerdict, Tone> = { ok: 'good', pending: 'warn', failed: 'bad', missing: 'bad' };
const FLUX_TONE: Record<FluxVerdict, Tone> = { compliant: 'good', pending: 'warn', 'non-compliant': 'bad', failed: 'bad', missing: 'bad' };

/** A read's state and age beside a heading (`read 2 min ago`, `stale 5 min ago`, `failed`). */
function ReadAge({ r, now }: { r: ReadState; now: number }) {
  return (
    <span className="text-[11px] font-normal text-slate-400">
      {r.status === 'ok' ? 'read' : r.status}{r.fetchedAt ? ` ${formatAge(now - r.fetchedAt)}` : ''}
    </span>
  );
}

function ReadError({ r, what, now }: { r: ReadState; what: string; now: number }) {
  if (!r.error) return null;
  return (
    <p role="alert" className="mt-1 text-xs text-rose-700">
      {r.status === 'stale' ? `Showing the last answer (${formatAge(now - (r.fetchedAt ?? now))}); the refresh failed: ` : `Could not read ${what}: `}
      {r.error.message}
    </p>
  );
}

function meshText(m: MeshRow): string {
  if (m.verdict === 'not-enabled') return 'not enabled';
  return m.revisions.map((r) => `${r.revision}: ${r.verdict}, ${r.detail}`).join('; ');
}

function AddonLines({ cluster, a }: { cluster: string; a: ClusterAddons }) {
  const mesh = a.mesh!;
  const kv = a.keyVault!;
  const istiod = a.running.istiod ?? [];
  const running = a.running.status === 'failed' ? 'the cluster did not answer' : undefined;
  const kvTone: Tone = kv.enabled ? 'good' : 'quiet';
  return (
    <>
      <tr aria-label={`${cluster} istio`} data-addon-verdict={mesh.verdict} className={`border-t border-slate-100 ${ROW[MESH_TONE[mesh.verdict]] ?? ''}`}>
        <td className="py-1 pr-3 font-medium">Istio (managed service mesh)</td>
        <td className="py-1 pr-3 tabular-nums">{mesh.revisions.map((r) => r.revision).join(', ') || '—'}</td>
        <td className="py-1 pr-3">
          {running ?? (istiod.length ? istiod.map((i) => `istiod ${i.revision}: ${i.tags.join(', ') || 'no tag'}`).join('; ') : mesh.verdict === 'not-enabled' ? '—' : 'no istiod pod')}
        </td>
        <td className={`py-1 ${TONE[MESH_TONE[mesh.verdict]]}`}>
          {meshText(mesh)}
          {a.kubernetesVersion && mesh.verdict !== 'not-enabled' ? ` (Kubernetes ${a.kubernetesVersion})` : ''}
          {a.meshRevisionsError ? `: ${a.meshRevisionsError.message}` : ''}
        </td>
      </tr>
      <tr aria-label={`${cluster} key vault csi`} data-addon-verdict={kv.enabled ? 'enabled' : 'not-enabled'} className="border-t border-slate-100">
        <td className="py-1 pr-3 font-medium">Key Vault CSI (azureKeyvaultSecretsProvider)</td>
        <td className="py-1 pr-3">{kv.enabled ? `rotation ${kv.secretRotation ? `on, every ${kv.rotationPollInterval ?? 'default interval'}` : 'off'}` : '—'}</td>
        <td className="py-1 pr-3 tabular-nums">{running ?? (a.running.keyVault ? `${a.running.keyVault.component} ${a.running.keyVault.tag}` : kv.enabled ? 'no provider pod' : '—')}</td>
        <td className={`py-1 ${TONE[kvTone]}`}>{kv.enabled ? 'enabled' : 'not enabled'}</td>
      </tr>
    </>
  );
}

function extensionText(e: ExtensionRow): string {
  switch (e.verdict) {
    case 'ok':
      return e.expected ? 'ok' : 'ok (not in infra/)';
    case 'pending':
      return `pending: ${e.state?.provisioningState ?? 'no state'}`;
    case 'failed':
      return `failed: ${e.state?.errors.join('; ') || `ARM says ${e.state?.provisioningState}`}`;
    case 'missing':
      return `missing: ${e.declaredIn} installs it, ARM lists none`;
  }
}

function ExtensionLine({ cluster, e }: { cluster: string; e: ExtensionRow }) {
  const s = e.state;
  const tone = EXTENSION_TONE[e.verdict];
  return (
    <tr aria-label={`${cluster} extension ${e.name}`} data-addon-verdict={e.verdict} className={`border-t border-slate-100 ${ROW[tone] ?? ''}`}>
      <td className="py-1 pr-3 font-medium">{e.name}</td>
      <td className="py-1 pr-3">{e.extensionType ?? '—'}</td>
      <td className="py-1 pr-3 tabular-nums">{s?.currentVersion ?? '—'}{s?.version ? ` (pinned ${s.version})` : ''}</td>
      <td className="py-1 pr-3">{s ? (s.autoUpgradeMinorVersion ? 'minor versions' : 'off') : '—'}</td>
      <td className="py-1 pr-3">{s?.provisioningState ?? '—'}</td>
      <td className={`py-1 ${TONE[tone]}`}>{extensionText(e)}</td>
    </tr>
  );
}

function fluxText(f: FluxRow): string {
  const s = f.state;
  switch (f.verdict) {
    case 'compliant':
      return 'compliant';
    case 'pending':
      return `pending: ${s?.compliance}`;
    case 'failed':
      return `failed: ${s?.errorMessage || `ARM says ${s?.provisioningState}`}`;
    case 'non-compliant':
      return `non-compliant: ${s?.kustomizations.filter((k) => k.compliance === 'non-compliant').map((k) => `${k.name}: ${k.message ?? 'no message'}`).join('; ') || 'the source is not ready'}`;
    case 'missing':
      return `missing: ${f.step} creates it, ARM lists none`;
  }
}

function FluxLine({ cluster, f }: { cluster: string; f: FluxRow }) {
  const s = f.state;
  const tone = FLUX_TONE[f.verdict];
  return (
    <tr aria-label={`${cluster} flux ${f.name}`} data-addon-verdict={f.verdict} className={`border-t border-slate-100 ${ROW[tone] ?? ''}`}>
      <td className="py-1 pr-3 font-medium">{f.name}</td>
      <td className="py-1 pr-3 break-all">{s?.url ? `${s.url}${s.branch ? ` (${s.branch})` : ''}` : '—'}</td>
      <td className="py-1 pr-3 tabular-nums">{s?.sourceSyncedCommitId ?? '—'}</td>
      <td className="py-1 pr-3">{s?.sourceUpdatedAt ? <When at={s.sourceUpdatedAt} /> : '—'}</td>
      <td className="py-1 pr-3">{s?.statusUpdatedAt ? <When at={s.statusUpdatedAt} /> : '—'}</td>
      <td className="py-1 pr-3">{s?.kustomizations.map((k) => `${k.name}: ${k.compliance}`).join(', ') || '—'}</td>
      <td className={`py-1 ${TONE[tone]}`}>{fluxText(f)}</td>
    </tr>
  );
}

const HEAD = 'pr-3 font-medium';

/** Presenter: one cluster's AKS-managed add-ons, extensions and Flux configurations, as ARM reports them, against infra/. */
export function AddonsBlock({ cluster, a, now }: { cluster: string; a: ClusterAddons; now: number }) {
  const off = [...(a.extensions ?? []).filter((e) => e.verdict !== 'ok'), ...(a.flux ?? []).filter((f) => f.verdict !== 'compliant')].length + (a.mesh?.verdict === 'unsupported' ? 1 : 0);
  return (
    <section aria-label={`addons ${cluster}`} className="mt-3 border-t border-slate-200 pt-2">
      <h3 className="text-xs font-semibold">
        AKS-managed add-ons and extensions{' '}
        <span className="font-normal text-slate-500">{a.extensions ? (off ? `${off} ${off === 1 ? 'needs' : 'need'} attention` : 'all as infra/ expects') : 'no answer from ARM'}</span>{' '}
        <ReadAge r={a} now={now} />
      </h3>
      <ReadError r={a} what="the add-ons and extensions from ARM" now={now} />
      {a.mesh && a.keyVault && (
        <table className="mt-1 w-full text-left text-xs">
          <thead className="text-slate-500">
            <tr><th className={HEAD}>Add-on</th><th className={HEAD}>ARM says</th><th className={HEAD}>Running image</th><th className="font-medium">Verdict</th></tr>
          </thead>
          <tbody><AddonLines cluster={cluster} a={a} /></tbody>
        </table>
      )}
      {a.running.error && a.running.status !== 'failed' && <ReadError r={a.running} what="the running images" now={now} />}
      {a.extensions && (
        <table className="mt-2 w-full text-left text-xs">
          <thead className="text-slate-500">
            <tr><th className={HEAD}>Extension</th><th className={HEAD}>Type</th><th className={HEAD}>Version</th><th className={HEAD}>Auto-upgrade</th><th className={HEAD}>Provisioning</th><th className="font-medium">Verdict</th></tr>
          </thead>
          <tbody>{a.extensions.map((e) => <ExtensionLine key={e.name} cluster={cluster} e={e} />)}</tbody>
        </table>
      )}
      {a.flux && (
        <table className="mt-2 w-full text-left text-xs">
          <thead className="text-slate-500">
            <tr><th className={HEAD}>Flux configuration</th><th className={HEAD}>Source</th><th className={HEAD}>Synced commit</th><th className={HEAD}>Source updated</th><th className={HEAD}>Status updated</th><th className={HEAD}>Kustomizations</th><th className="font-medium">Verdict</th></tr>
          </thead>
          <tbody>
            {a.flux.length ? a.flux.map((f) => <FluxLine key={f.name} cluster={cluster} f={f} />) : <tr><td colSpan={7} className="py-1 text-slate-500">No Flux configuration, and infra/ creates none here.</td></tr>}
          </tbody>
        </table>
      )}
    </section>
  );
}
