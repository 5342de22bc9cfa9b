import 'server-only';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { AddonPlanSummary } from '../domain/addon-plan';
import type { ClusterKey } from '../domain/cluster';
import { parseDryRun, type DryRunStep } from '../domain/dry-run';
import { addonInputs, addonPlanSummary, addonReleases, type RenderedRelease } from './addons';
import type { JobRequest } from './catalog';
import type { JobLog } from './log';
import { planLine, type PlanSummary } from './plan';

/**
 * Jobs on the twin target (where tofu and helm may be missing): the same
 * kinds drive the twin through its admin API (`/_twin/jobs/…`, lib/twin/jobs) and say, on their
 * first line and in the job's record, that they are simulated. apply creates the environment's resources
 * in order and the topology appears in ARM; destroy removes them; the add-on install takes its
 * steps from the real `install.sh --dry-run` and applies each to the twin's clusters; an add-on
 * plan has the twin render the release at the pinned and the installed version, and its apply
 * records the pinned version as a new Helm revision.
 */
export interface TwinResource {
  id: string;
  address: string;
  kind: 'resourceGroup' | 'cluster' | 'modelled';
  present: boolean;
  createMs: number;
  destroyMs: number;
}

export interface SimulationContext {
  twinUrl: string;
  infraDir: string;
  env: NodeJS.ProcessEnv;
  log: JobLog;
  signal: AbortSignal;
  /** Real milliseconds for an operation that takes `twinMs` on Azure (the twin clock runs fast). */
  pace(twinMs: number): number;
  /** Real milliseconds `twinMs` of the twin's clock take, uncapped: how long a `kubectl wait --timeout` waits. */
  twinTime(twinMs: number): number;
}

export interface SimulationResult {
  exitCode: number;
  summary?: PlanSummary | AddonPlanSummary;
}

export class Cancelled extends Error {}

async function twin<T>(ctx: SimulationContext, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ctx.twinUrl}/_twin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body), signal: ctx.signal });
  const json = (await res.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
  if (!res.ok) throw new Error(json.error ? `${json.error.code}: ${json.error.message}` : `twin answered ${res.status}`);
  return json;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Cancelled());
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;
const SIMULATED = '\u001b[33m[simulated]\u001b[0m';

async function environment(ctx: SimulationContext): Promise<{ deployed: boolean; resources: TwinResource[] }> {
  return twin(ctx, 'GET', 'jobs/environment');
}

async function init(ctx: SimulationContext): Promise<SimulationResult> {
  const { log } = ctx;
  log.write('out', `${SIMULATED} tofu is not run on the twin target; the twin answers for Azure.`);
  log.write('out', '\u001b[1mInitializing the backend...\u001b[0m');
  await sleep(ctx.pace(2_000), ctx.signal);
  log.write('out', '\u001b[1mInitializing provider plugins...\u001b[0m');
  log.write('out', '- Using hashicorp/azurerm ~> 5.2 (simulated: no provider is downloaded)');
  await sleep(ctx.pace(2_000), ctx.signal);
  log.write('out', '\u001b[32m\u001b[1mOpenTofu has been successfully initialized!\u001b[0m (simulated)');
  return { exitCode: 0 };
}

async function plan(ctx: SimulationContext): Promise<SimulationResult> {
  const { log } = ctx;
  log.write('out', `${SIMULATED} tofu is not run; the plan compares the environment's resources with what the twin holds.`);
  const env = await environment(ctx);
  const missing = env.resources.filter((r) => !r.present);
  for (const r of env.resources) {
    await sleep(ctx.pace(300), ctx.signal);
    log.write('out', r.present ? `${r.address}: Refreshing state...` : `  \u001b[32m+\u001b[0m ${r.address} will be created`);
  }
  const summary: PlanSummary = { add: missing.length, change: 0, destroy: 0, resources: missing.map((r) => ({ address: r.address, actions: ['create'], id: r.id })), simulated: true };
  log.write('out', missing.length ? `\u001b[1m${planLine(summary)}\u001b[0m` : '\u001b[32mNo changes.\u001b[0m Your infrastructure matches the configuration.');
  return { exitCode: 0, summary };
}

async function apply(ctx: SimulationContext, saved: PlanSummary): Promise<SimulationResult> {
  const { log } = ctx;
  log.write('out', `${SIMULATED} tofu is not run; the twin's ARM creates each resource of the saved plan, in the install order.`);
  const env = await environment(ctx);
  const planned = saved.resources.map((r) => r.id).filter((id): id is string => Boolean(id));
  const now = new Map(env.resources.map((r) => [r.id, r]));
  if (planned.some((id) => now.get(id)?.present)) {
    // As tofu refuses a plan made against state that changed since.
    log.write('err', '\u001b[31mError: Saved plan is stale\u001b[0m: the environment changed since this plan was made; plan again.');
    return { exitCode: 1 };
  }
  let added = 0;
  for (const id of planned) {
    const r = now.get(id)!;
    log.write('out', `${r.address}: \u001b[1mCreating...\u001b[0m`);
    const step = ctx.pace(r.createMs);
    if (r.kind === 'cluster') {
      for (let elapsed = 60_000; elapsed < r.createMs; elapsed += 60_000) {
        await sleep(step / Math.ceil(r.createMs / 60_000), ctx.signal);
        log.write('out', `${r.address}: Still creating... [${seconds(elapsed)} elapsed]`);
      }
    }
    await sleep(step / (r.kind === 'cluster' ? Math.ceil(r.createMs / 60_000) : 1), ctx.signal);
    await twin(ctx, 'POST', 'jobs/create', { resource: id });
    added += 1;
    log.write('out', `${r.address}: \u001b[32mCreation complete after ${seconds(r.createMs)}\u001b[0m${r.kind === 'modelled' ? ' (modelled only: the twin serves no API for it)' : ''}`);
  }
  log.write('out', `\u001b[32m\u001b[1mApply complete! Resources: ${added} added, 0 changed, 0 destroyed.\u001b[0m`);
  return { exitCode: 0 };
}

async function destroy(ctx: SimulationContext): Promise<SimulationResult> {
  const { log } = ctx;
  log.write('out', `${SIMULATED} tofu is not run; the twin's ARM deletes each resource, in reverse install order.`);
  const env = await environment(ctx);
  const present = env.resources.filter((r) => r.present).reverse();
  for (const r of present) {
    log.write('out', `${r.address}: \u001b[1mDestroying...\u001b[0m`);
    await sleep(ctx.pace(r.destroyMs), ctx.signal);
    await twin(ctx, 'POST', 'jobs/destroy', { resource: r.id });
    log.write('out', `${r.address}: Destruction complete after ${seconds(r.destroyMs)}`);
  }
  log.write('out', `\u001b[32m\u001b[1mDestroy complete! Resources: ${present.length} destroyed.\u001b[0m`);
  return { exitCode: 0 };
}

/** The real `install.sh --dry-run`: the steps, their order and their commands come from the script itself. */
export function dryRunSteps(ctx: Pick<SimulationContext, 'infraDir' | 'env' | 'signal'>, cluster: string): Promise<DryRunStep[]> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(ctx.infraDir, 'addons', 'install.sh'), '--cluster', cluster, '--dry-run'], { cwd: ctx.infraDir, env: ctx.env, signal: ctx.signal, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`install.sh --dry-run failed: ${stderr.trim() || err.message}`));
      else resolve(parseDryRun(stdout).steps);
    });
  });
}

interface K8sSummary {
  power: string;
  nodes: { name: string; ready?: string }[];
  pods: { total: number; pending: string[]; running: number };
}

/** 14-verify-clusters waits up to 10 minutes for nodes to be Ready; on the twin that is its clock's 10 minutes, at most a minute of real time. */
const VERIFY_WAIT_TWIN_MS = 10 * 60_000;
const VERIFY_WAIT_CAP_MS = 60_000;

async function verify(ctx: SimulationContext, cluster: string, steps?: DryRunStep[]): Promise<boolean> {
  const { log } = ctx;
  const expected = (steps ?? (await dryRunSteps(ctx, cluster))).filter((s) => s.cluster === cluster && s.step !== '14-verify-clusters').map((s) => s.step);
  const env = await twin<{ clusters: { key: string; installedSteps: string[] | 'all' }[] }>(ctx, 'GET', 'jobs/environment');
  const state = env.clusters.find((c) => c.key === cluster);
  if (!state) {
    log.write('err', `xx ${cluster}: the cluster is not deployed (run tofu apply first)`);
    return false;
  }
  const missing = state.installedSteps === 'all' ? [] : expected.filter((s) => !(state.installedSteps as string[]).includes(s) && !/^1[12]-/.test(s));
  // As the real script's `kubectl wait … --timeout 10m`: nodes a step just launched (Karpenter's) and the pods bound to
  // them get the script's time to become Ready, on the twin's clock; a missing step is reported at once.
  let summary = await twin<K8sSummary>(ctx, 'GET', `k8s/${cluster}`);
  const settled = (k: K8sSummary) => k.nodes.length > 0 && k.nodes.every((n) => n.ready === 'True') && k.pods.pending.length === 0;
  const until = Date.now() + Math.min(ctx.twinTime(VERIFY_WAIT_TWIN_MS), VERIFY_WAIT_CAP_MS);
  while (missing.length === 0 && !settled(summary) && Date.now() < until) {
    await sleep(Math.max(50, ctx.pace(5_000)), ctx.signal);
    summary = await twin<K8sSummary>(ctx, 'GET', `k8s/${cluster}`);
  }
  const checks: [boolean, string][] = [];
  const notReady = summary.nodes.filter((n) => n.ready !== 'True');
  checks.push([summary.nodes.length > 0 && notReady.length === 0, `nodes Ready: ${summary.nodes.length - notReady.length}/${summary.nodes.length}`]);
  checks.push([summary.pods.pending.length === 0, summary.pods.pending.length ? `pods not Running/Completed: ${summary.pods.pending.slice(0, 5).join(', ')}${summary.pods.pending.length > 5 ? ` and ${summary.pods.pending.length - 5} more` : ''}` : `pods Running or Completed: ${summary.pods.total}`]);
  checks.push([missing.length === 0, missing.length ? `add-on steps not installed: ${missing.join(', ')}` : `add-on steps installed: ${expected.length}`]);
  for (const [ok, text] of checks) log.write(ok ? 'out' : 'err', ok ? `-- \u001b[32m✓\u001b[0m ${cluster}: ${text}` : `!! \u001b[31m✗\u001b[0m ${cluster}: ${text}`);
  return checks.every(([ok]) => ok);
}

async function installAddOns(ctx: SimulationContext, cluster: string): Promise<SimulationResult> {
  const { log } = ctx;
  log.write('out', `${SIMULATED} helm, kubectl and az are not run; each step of the real install.sh --dry-run is applied to the twin's clusters, in the script's order.`);
  const steps = await dryRunSteps(ctx, cluster);
  let ok = true;
  for (const s of steps) {
    log.write('out', `==> [${s.cluster}] ${s.step}`);
    for (const line of s.lines.filter((l) => l.startsWith('+ '))) log.write('out', `${line} \u001b[2m(simulated)\u001b[0m`);
    await sleep(ctx.pace(20_000), ctx.signal);
    if (s.step === '14-verify-clusters') {
      ok = (await verify(ctx, s.cluster, steps)) && ok;
      continue;
    }
    if (s.cluster === 'subscription') {
      log.write('out', '-- subscription-level step: nothing to deploy into a cluster');
      continue;
    }
    const r = await twin<{ changed: boolean }>(ctx, 'POST', 'jobs/addons', { cluster: s.cluster, step: s.step });
    log.write('out', `-- twin: ${s.step} ${r.changed ? 'deployed' : 'already installed (helm upgrade: no change)'} on ${s.cluster}`);
  }
  if (!ok) log.write('err', 'xx verify-clusters failed');
  else log.write('out', '-- done');
  return { exitCode: ok ? 0 : 1 };
}

/** The twin's answer for one release: what is installed, and a manifest (installed, or rendered at a version). */
interface HelmManifest {
  installed: { revision: number; version: string; appVersion?: string; status: string } | null;
  manifest: string;
}

const helmManifest = (ctx: SimulationContext, cluster: ClusterKey, r: { namespace: string; release: string }, version?: string) =>
  twin<HelmManifest>(ctx, 'GET', `k8s/${cluster}/helm-manifest?${new URLSearchParams({ namespace: r.namespace, release: r.release, ...(version ? { version } : {}) })}`);

async function planAddon(ctx: SimulationContext, cluster: ClusterKey, addon: string): Promise<SimulationResult> {
  const { log } = ctx;
  log.write('out', `${SIMULATED} helm is not run; the twin renders each release of ${addon} at infra/'s pin and at the installed version.`);
  const releases = await addonReleases(ctx.infraDir, cluster, addon);
  log.write('out', `==> [${cluster}] ${addon}`);
  const rendered: RenderedRelease[] = [];
  for (const r of releases) {
    log.write('out', `-- plan: helm upgrade --install ${r.release} ${r.chartRef} --kube-context aks-${cluster} --namespace ${r.namespace} --version ${r.version} --dry-run=server --hide-secret \u001b[2m(simulated)\u001b[0m`);
    await sleep(ctx.pace(5_000), ctx.signal);
    const next = await helmManifest(ctx, cluster, r, r.version);
    log.write('out', `-- plan: helm get manifest ${r.release} --kube-context aks-${cluster} --namespace ${r.namespace} \u001b[2m(simulated)\u001b[0m`);
    const now = await helmManifest(ctx, cluster, r);
    log.write('out', now.installed
      ? `-- ${r.release}: installed ${r.chart}-${now.installed.version} (revision ${now.installed.revision}, ${now.installed.status}); infra/ pins ${r.version}`
      : `-- ${r.release}: not installed (Error: release: not found); the apply installs ${r.version}`);
    rendered.push({ release: r, installed: now.installed?.version ?? null, old: now.manifest, new: next.manifest });
  }
  const summary = addonPlanSummary(cluster, addon, await addonInputs(ctx.infraDir, addon), rendered, (t) => log.redactText(t), true);
  for (const d of summary.releases) log.write('out', `-- ${d.release}: ${d.installed ?? 'not installed'} → ${d.pinned}: ${d.objectsChanged} objects changed, +${d.added} −${d.removed} lines`);
  return { exitCode: 0, summary };
}

/** As Helm prints a time: `Fri Dec  4 23:50:00 2026` (UTC here). */
function helmTime(d: Date): string {
  const [day, , , , time] = d.toUTCString().split(' ');
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${day.replace(',', '')} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()}`;
}

async function applyAddon(ctx: SimulationContext, plan: AddonPlanSummary): Promise<SimulationResult> {
  const { log } = ctx;
  const { cluster, addon } = plan;
  log.write('out', `${SIMULATED} helm is not run; the twin records each release of the plan at its reviewed version, as helm upgrade --install does.`);
  log.write('out', `==> [${cluster}] ${addon}`);
  for (const r of plan.releases) {
    log.write('out', `+ helm upgrade --install ${r.release} ${r.chart} --kube-context aks-${cluster} --namespace ${r.namespace} --create-namespace --wait --timeout 10m --version ${r.pinned} \u001b[2m(simulated)\u001b[0m`);
    const before = await helmManifest(ctx, cluster, r);
    await sleep(ctx.pace(30_000), ctx.signal);
    // Installing a release the cluster lacks is its install step on the twin (the step's objects with it).
    if (before.installed) await twin(ctx, 'POST', `k8s/${cluster}/helm-release`, { namespace: r.namespace, release: r.release, version: r.pinned });
    else await twin(ctx, 'POST', 'jobs/addons', { cluster, step: addon });
    const after = await helmManifest(ctx, cluster, r);
    log.write('out', before.installed ? `Release "${r.release}" has been upgraded. Happy Helming!` : `Release "${r.release}" does not exist. Installing it now.`);
    for (const line of [`NAME: ${r.release}`, `LAST DEPLOYED: ${helmTime(new Date())}`, `NAMESPACE: ${r.namespace}`, `STATUS: ${after.installed?.status ?? 'unknown'}`, `REVISION: ${after.installed?.revision ?? '?'}`, 'TEST SUITE: None']) {
      log.write('out', line);
    }
  }
  log.write('out', '-- done');
  return { exitCode: 0 };
}

export async function simulate(ctx: SimulationContext, req: JobRequest, savedPlan?: PlanSummary | AddonPlanSummary): Promise<SimulationResult> {
  switch (req.kind) {
    case 'tofu-init':
      return init(ctx);
    case 'tofu-plan':
      return plan(ctx);
    case 'tofu-apply':
      return apply(ctx, savedPlan as PlanSummary);
    case 'addon-plan':
      return planAddon(ctx, req.cluster, req.addon);
    case 'addon-apply':
      return applyAddon(ctx, savedPlan as AddonPlanSummary);
    case 'tofu-destroy':
      return destroy(ctx);
    case 'addons-install':
      return installAddOns(ctx, req.cluster);
    case 'verify-clusters': {
      ctx.log.write('out', `${SIMULATED} kubectl is not run; the checks of 14-verify-clusters read the twin's Kubernetes model.`);
      return { exitCode: (await verify(ctx, req.cluster)) ? 0 : 1 };
    }
    case 'addons-dry-run':
      throw new Error('the dry run always runs the real script');
  }
}
