/**
 * Pre-flight: what must be true before a live session, checked against what
 * Azure reports for the region — quotas, supported versions — and against the
 * budget. Pure: the capability (`lib/preflight`) reads Azure and hands the
 * answers here; each check says what it saw and, when it fails, what to do.
 */

export type PreflightStatus = 'pass' | 'fail' | 'warn' | 'unknown';

export interface PreflightCheck {
  id: string;
  title: string;
  status: PreflightStatus;
  /** What was read, in a sentence a presenter can repeat. */
  evidence: string;
  /** What to do about a fail or warn. */
  fix?: string;
}

/** vCPUs and quota family of the VM sizes the environment uses (Azure's VM size pages; family names as the Compute usages API reports them). */
export const VM_SIZES: Record<string, { vcpus: number; family: string }> = {
  Standard_D2s_v5: { vcpus: 2, family: 'standardDSv5Family' },
  Standard_D4s_v5: { vcpus: 4, family: 'standardDSv5Family' },
  Standard_D8s_v5: { vcpus: 8, family: 'standardDSv5Family' },
  Standard_D2as_v5: { vcpus: 2, family: 'standardDASv5Family' },
  Standard_D4as_v5: { vcpus: 4, family: 'standardDASv5Family' },
  Standard_D2ds_v5: { vcpus: 2, family: 'standardDDSv5Family' },
  Standard_B2s: { vcpus: 2, family: 'standardBSFamily' },
};

/** Regional quota names of the Compute usages API: all regular vCPUs, and Spot (low-priority) vCPUs. */
export const REGIONAL_VCPUS = 'cores';
export const SPOT_VCPUS = 'lowPriorityCores';
/** Standard-SKU public IPv4 addresses (Network usages API). */
export const STANDARD_PUBLIC_IPS = 'StandardSkuPublicIpAddresses';

export interface Usage {
  name: string;
  currentValue: number;
  limit: number;
}

/** One cluster as pre-flight needs it: what it runs at full size, and what of it runs now. */
export interface PreflightCluster {
  name: string;
  kubernetesVersion: string | null;
  meshRevision: string | null;
  running: boolean;
  /** Regular pools at their configured size. */
  regularPools: { name: string; vmSize: string; count: number }[];
  /** The most Spot capacity the cluster may create: NAP's NodePool limit, or a Spot pool's maximum × its size. */
  spotVcpuLimit: number | null;
  /** Spot vCPUs the cluster runs now (nodes counted from the cluster or ARM). */
  spotVcpusInUse: number;
  /** Standard public IPs the cluster needs: its outbound load balancer, and its ingress gateway when it has one. */
  publicIps: number;
}

export interface SupportedVersion {
  /** "1.35" */
  version: string;
  isPreview: boolean;
  supportPlans: string[];
  patches: string[];
}

export interface MeshRevisionInfo {
  revision: string;
  /** Kubernetes minors the revision is compatible with ("1.34"). */
  kubernetes: string[];
  upgrades: string[];
}

export interface PreflightInput {
  region: string;
  clusters: PreflightCluster[];
  /** Public IPs outside the clusters that the environment owns (Bastion). */
  sharedPublicIps: number;
  compute: Usage[] | null;
  network: Usage[] | null;
  versions: SupportedVersion[] | null;
  meshRevisions: MeshRevisionInfo[] | null;
  budget: { amount: number; awakeHoursLeft: number; awakePerHour: number; overEvenIdle: boolean } | null;
  sessionHours: number;
}

const minorOf = (v: string) => /^(\d+\.\d+)/.exec(v)?.[1] ?? v;

/** Whether the region offers a mesh revision for a cluster's Kubernetes minor (pre-flight and the Releases page both ask). */
export type MeshSupport =
  | { status: 'supported'; minor: string | null }
  | { status: 'not-offered'; offered: string[] }
  | { status: 'incompatible'; minor: string; compatible: string[]; upgrades: string[] };

export function meshRevisionSupport(revision: string, kubernetesVersion: string | null, offered: readonly MeshRevisionInfo[]): MeshSupport {
  const m = offered.find((r) => r.revision === revision);
  if (!m) return { status: 'not-offered', offered: offered.map((r) => r.revision) };
  const minor = kubernetesVersion ? minorOf(kubernetesVersion) : null;
  if (minor && !m.kubernetes.includes(minor)) return { status: 'incompatible', minor, compatible: m.kubernetes, upgrades: m.upgrades };
  return { status: 'supported', minor };
}
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function usage(list: Usage[] | null, name: string): Usage | undefined {
  return list?.find((u) => u.name.toLowerCase() === name.toLowerCase());
}

/**
 * A quota is enough when what the environment needs at full size fits in the
 * limit minus what others in the subscription use now (current usage minus our own share).
 */
function quotaCheck(o: { id: string; title: string; u: Usage | undefined; read: boolean; need: number; ours: number; unit: string; what: string; fix: string }): PreflightCheck {
  if (!o.read) return { id: o.id, title: o.title, status: 'unknown', evidence: `The ${o.what} quota could not be read.`, fix: 'See the error on the page; the other checks still ran.' };
  if (!o.u) return { id: o.id, title: o.title, status: 'unknown', evidence: `Azure reported no ${o.what} quota for the region.` };
  const others = Math.max(0, o.u.currentValue - o.ours);
  const room = o.u.limit - others;
  const evidence = `Needs ${fmt(o.need)} ${o.unit} at full size; limit ${fmt(o.u.limit)}, in use ${fmt(o.u.currentValue)} (${fmt(o.ours)} of them this environment's).`;
  if (room >= o.need) return { id: o.id, title: o.title, status: 'pass', evidence };
  return { id: o.id, title: o.title, status: 'fail', evidence: `${evidence} ${fmt(o.need - room)} short.`, fix: o.fix };
}

export function evaluatePreflight(i: PreflightInput): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  const unknownSizes = [...new Set(i.clusters.flatMap((c) => c.regularPools.map((p) => p.vmSize)).filter((s) => !VM_SIZES[s]))];
  const regular = (running: boolean | null) =>
    i.clusters
      .filter((c) => running === null || c.running === running)
      .flatMap((c) => c.regularPools)
      .reduce((s, p) => s + (VM_SIZES[p.vmSize]?.vcpus ?? 0) * p.count, 0);
  const quotaFix = `Request more in the Azure portal (Quotas → Compute, region ${i.region}) or stop what else uses it; a quota increase for vCPUs is usually granted within minutes.`;

  checks.push(
    quotaCheck({
      id: 'regional-vcpus',
      title: 'Regional vCPUs for the regular node pools',
      u: usage(i.compute, REGIONAL_VCPUS),
      read: i.compute !== null,
      need: regular(null),
      ours: regular(true),
      unit: 'vCPUs',
      what: 'regional vCPU',
      fix: quotaFix,
    }),
  );
  const families = new Map<string, { need: number; ours: number }>();
  for (const c of i.clusters)
    for (const p of c.regularPools) {
      const size = VM_SIZES[p.vmSize];
      if (!size) continue;
      const f = families.get(size.family) ?? { need: 0, ours: 0 };
      f.need += size.vcpus * p.count;
      if (c.running) f.ours += size.vcpus * p.count;
      families.set(size.family, f);
    }
  for (const [family, f] of families)
    checks.push(
      quotaCheck({ id: `family-${family}`, title: `vCPUs of the VM family ${family}`, u: usage(i.compute, family), read: i.compute !== null, need: f.need, ours: f.ours, unit: 'vCPUs', what: family, fix: quotaFix }),
    );
  if (unknownSizes.length > 0)
    checks.push({ id: 'vm-sizes', title: 'VM sizes known to the pre-flight', status: 'unknown', evidence: `No vCPU count known for ${unknownSizes.join(', ')}; their quota was not counted.` });

  const spotLimits = i.clusters.map((c) => c.spotVcpuLimit);
  checks.push(
    spotLimits.some((l) => l === null)
      ? { id: 'spot-vcpus', title: 'Spot vCPUs for the worker nodes', status: 'unknown', evidence: 'The Spot capacity of at least one cluster is not known (its NodePool limit could not be read).' }
      : quotaCheck({
          id: 'spot-vcpus',
          title: 'Spot vCPUs for the worker nodes',
          u: usage(i.compute, SPOT_VCPUS),
          read: i.compute !== null,
          need: spotLimits.reduce<number>((s, l) => s + (l ?? 0), 0),
          ours: i.clusters.reduce((s, c) => s + c.spotVcpusInUse, 0),
          unit: 'Spot vCPUs',
          what: 'Spot vCPU',
          fix: `Spot vCPUs have their own regional quota ("Total Regional Spot vCPUs"): request it in the Azure portal (Quotas → Compute, region ${i.region}); without it no Spot worker starts and pods stay Pending.`,
        }),
  );

  const ipsNeeded = i.clusters.reduce((s, c) => s + c.publicIps, 0) + i.sharedPublicIps;
  const ipsOurs = i.clusters.filter((c) => c.running).reduce((s, c) => s + c.publicIps, 0) + i.sharedPublicIps;
  checks.push(
    quotaCheck({
      id: 'public-ips',
      title: 'Standard public IP addresses',
      u: usage(i.network, STANDARD_PUBLIC_IPS),
      read: i.network !== null,
      need: ipsNeeded,
      ours: ipsOurs,
      unit: 'addresses',
      what: 'Standard public IP',
      fix: `Request more in the Azure portal (Quotas → Networking, region ${i.region}) or delete unused public IPs.`,
    }),
  );

  for (const c of i.clusters) {
    const title = `Kubernetes ${c.kubernetesVersion ?? '?'} on ${c.name} is supported in ${i.region}`;
    if (!c.kubernetesVersion) {
      checks.push({ id: `kubernetes-${c.name}`, title, status: 'unknown', evidence: `${c.name} reported no Kubernetes version.` });
      continue;
    }
    if (!i.versions) {
      checks.push({ id: `kubernetes-${c.name}`, title, status: 'unknown', evidence: 'The region\'s supported Kubernetes versions could not be read.' });
      continue;
    }
    const minor = minorOf(c.kubernetesVersion);
    const v = i.versions.find((x) => x.version === minor);
    const newest = [...i.versions].filter((x) => !x.isPreview).map((x) => x.version).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).at(-1);
    if (!v) {
      checks.push({
        id: `kubernetes-${c.name}`, title, status: 'fail',
        evidence: `AKS in ${i.region} no longer lists Kubernetes ${minor} (it lists ${i.versions.map((x) => x.version).join(', ')}).`,
        fix: `Upgrade ${c.name} to a supported version${newest ? ` (newest: ${newest})` : ''} before the session: kubernetes_version in infra/, then tofu apply.`,
      });
    } else if (v.isPreview) {
      checks.push({ id: `kubernetes-${c.name}`, title, status: 'warn', evidence: `Kubernetes ${minor} is in preview in ${i.region}.`, fix: 'Preview versions have no support agreement; use a generally available version for a live session.' });
    } else if (!v.supportPlans.includes('KubernetesOfficial')) {
      checks.push({
        id: `kubernetes-${c.name}`, title, status: 'warn',
        evidence: `Kubernetes ${minor} is supported only under long-term support (${v.supportPlans.join(', ')}).`,
        fix: `Long-term support needs the Premium tier; upgrade ${c.name}${newest ? ` to ${newest}` : ''} or move it to Premium.`,
      });
    } else if (v.patches.length > 0 && !v.patches.includes(c.kubernetesVersion) && /^\d+\.\d+\.\d+$/.test(c.kubernetesVersion)) {
      checks.push({
        id: `kubernetes-${c.name}`, title, status: 'warn',
        evidence: `${minor} is supported, but patch ${c.kubernetesVersion} is not among ${v.patches.join(', ')}.`,
        fix: `Apply the latest ${minor} patch (az aks upgrade --kubernetes-version ${[...v.patches].sort().at(-1)}).`,
      });
    } else {
      checks.push({ id: `kubernetes-${c.name}`, title, status: 'pass', evidence: `Kubernetes ${c.kubernetesVersion} is supported in ${i.region} (${v.supportPlans.join(', ')}).` });
    }
  }

  for (const c of i.clusters.filter((x) => x.meshRevision)) {
    const title = `Istio revision ${c.meshRevision} on ${c.name} is supported for its Kubernetes version`;
    if (!i.meshRevisions) {
      checks.push({ id: `mesh-${c.name}`, title, status: 'unknown', evidence: 'The region\'s mesh revisions could not be read.' });
      continue;
    }
    const s = meshRevisionSupport(c.meshRevision!, c.kubernetesVersion, i.meshRevisions);
    if (s.status === 'not-offered') {
      checks.push({
        id: `mesh-${c.name}`, title, status: 'fail',
        evidence: `AKS in ${i.region} no longer offers ${c.meshRevision} (it offers ${s.offered.join(', ') || 'none'}).`,
        fix: `Upgrade the mesh with a canary revision (az aks mesh upgrade start --revision ${s.offered.at(-1) ?? '…'}), then complete it.`,
      });
    } else if (s.status === 'incompatible') {
      checks.push({
        id: `mesh-${c.name}`, title, status: 'fail',
        evidence: `${c.meshRevision} is compatible with Kubernetes ${s.compatible.join(', ')}, not ${s.minor}.`,
        fix: s.upgrades.length ? `Upgrade the mesh to ${s.upgrades.at(-1)} before the session.` : 'Choose a mesh revision compatible with the cluster\'s Kubernetes version.',
      });
    } else {
      checks.push({ id: `mesh-${c.name}`, title, status: 'pass', evidence: `${c.meshRevision} is offered in ${i.region} and compatible with Kubernetes ${s.minor ?? '?'}.` });
    }
  }

  const b = i.budget;
  const sessionTitle = `The budget covers a ${plural(i.sessionHours, 'hour')} session`;
  if (!b) {
    checks.push({ id: 'budget', title: sessionTitle, status: 'unknown', evidence: 'The month\'s cost or the modelled burn rate could not be read.' });
  } else {
    const sessionCost = b.awakePerHour * i.sessionHours;
    const evidence = `A session costs about $${sessionCost.toFixed(2)} (modelled, $${b.awakePerHour.toFixed(2)}/h awake); the budget of $${b.amount} leaves ${fmt(b.awakeHoursLeft)} awake hours this month.`;
    if (b.overEvenIdle)
      checks.push({ id: 'budget', title: sessionTitle, status: 'fail', evidence: `${evidence} The month goes over budget even if everything stays powered down.`, fix: 'Tear the environment down after the session, or raise the budget.' });
    else if (b.awakeHoursLeft < i.sessionHours)
      checks.push({ id: 'budget', title: sessionTitle, status: 'fail', evidence, fix: 'Shorten the session, power the environment down until it starts, or raise the budget.' });
    else checks.push({ id: 'budget', title: sessionTitle, status: 'pass', evidence });
  }
  return checks;
}

/** The page's headline: the worst status of all checks. */
export function overallStatus(checks: readonly PreflightCheck[]): PreflightStatus {
  const order: PreflightStatus[] = ['fail', 'unknown', 'warn', 'pass'];
  return order.find((s) => checks.some((c) => c.status === s)) ?? 'pass';
}
