import 'server-only';
import { z } from 'zod';
import { printableText } from '../domain/text';
import { CLUSTER_KEYS } from '../domain/cluster';

/**
 * The allow-list of jobs (processes are spawned with argument arrays, never a shell): each
 * kind names its tool and builds its argv from validated input. Nothing else can be run.
 */
export const CLUSTER_TARGETS = ['all', ...CLUSTER_KEYS] as const;
const clusterTarget = z.enum(CLUSTER_TARGETS);
const cluster = z.enum(CLUSTER_KEYS);
const id = z.string().uuid();
/** An install step's name (`03-reloader`); which steps are add-ons of which cluster is checked against infra/ (addons.ts). */
export const addonStep = z.string().regex(/^\d{2}[a-z]?-[a-z0-9-]{1,40}$/, 'an install step such as 03-reloader');

export const jobRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tofu-init') }),
  z.object({ kind: z.literal('tofu-plan') }),
  z.object({ kind: z.literal('tofu-apply'), planJobId: id }),
  z.object({ kind: z.literal('tofu-destroy'), confirm: z.string() }),
  z.object({ kind: z.literal('addons-dry-run'), cluster: clusterTarget }),
  z.object({ kind: z.literal('addons-install'), cluster: clusterTarget }),
  z.object({ kind: z.literal('verify-clusters'), cluster }),
  z.object({ kind: z.literal('addon-plan'), cluster, addon: addonStep }),
  // cluster and addon are the plan's: startJob refuses a request whose cluster or addon differ from it.
  z.object({ kind: z.literal('addon-apply'), planJobId: id, cluster, addon: addonStep }),
]);
export type JobRequest = z.infer<typeof jobRequestSchema>;
export type JobKind = JobRequest['kind'];

export type Tool = 'tofu' | 'helm' | 'kubectl' | 'az' | 'bash';

export interface JobSpec {
  kind: JobKind;
  /** What the list and the log header say. */
  title: string;
  /** The program and its argument array (never a shell string); cwd is infra/. */
  argv: string[];
  /** Tools that must exist before it starts (preflight). */
  tools: Tool[];
  /** Changes the environment: takes the environment's lock; Admin only (jobs.apply). */
  mutating: boolean;
  /** Runs on the twin target through the twin's API instead of the real tools. */
  simulatedOnTwin: boolean;
}

/** Where a plan job saves its plan file, relative to infra/ (apply runs exactly this file). */
export const planFile = (planJobId: string) => `.jobs/${planJobId}.tfplan`;

export function jobSpec(req: JobRequest): JobSpec {
  switch (req.kind) {
    case 'tofu-init':
      return { kind: req.kind, title: 'tofu init', argv: ['tofu', 'init', '-input=false'], tools: ['tofu'], mutating: false, simulatedOnTwin: true };
    case 'tofu-plan':
      // -out is filled in by the runner with this job's id (planFile).
      return { kind: req.kind, title: 'tofu plan', argv: ['tofu', 'plan', '-input=false'], tools: ['tofu'], mutating: false, simulatedOnTwin: true };
    case 'tofu-apply':
      return { kind: req.kind, title: 'tofu apply (saved plan)', argv: ['tofu', 'apply', '-input=false', planFile(req.planJobId)], tools: ['tofu'], mutating: true, simulatedOnTwin: true };
    case 'tofu-destroy':
      return { kind: req.kind, title: 'tofu destroy', argv: ['tofu', 'destroy', '-input=false', '-auto-approve'], tools: ['tofu'], mutating: true, simulatedOnTwin: true };
    case 'addons-dry-run':
      // Always the real script, on every target: it touches nothing and needs no az/kubectl/helm.
      return { kind: req.kind, title: `install.sh --cluster ${req.cluster} --dry-run`, argv: ['bash', 'addons/install.sh', '--cluster', req.cluster, '--dry-run'], tools: ['bash'], mutating: false, simulatedOnTwin: false };
    case 'addons-install':
      return { kind: req.kind, title: `install.sh --cluster ${req.cluster}`, argv: ['bash', 'addons/install.sh', '--cluster', req.cluster], tools: ['bash', 'az', 'kubectl', 'helm'], mutating: true, simulatedOnTwin: true };
    case 'verify-clusters':
      return { kind: req.kind, title: `verify-clusters ${req.cluster}`, argv: ['bash', 'addons/scripts/14-verify-clusters.sh', req.cluster], tools: ['bash', 'kubectl'], mutating: false, simulatedOnTwin: true };
    case 'addon-plan':
      // --plan's directory is filled in by the runner with this job's id; helm renders against the cluster, changing nothing.
      return { kind: req.kind, title: `install.sh --cluster ${req.cluster} --step ${req.addon} --plan`, argv: ['bash', 'addons/install.sh', '--cluster', req.cluster, '--step', req.addon, '--plan'], tools: ['bash', 'helm'], mutating: false, simulatedOnTwin: true };
    case 'addon-apply':
      return { kind: req.kind, title: `install.sh --cluster ${req.cluster} --step ${req.addon} (saved plan)`, argv: ['bash', 'addons/install.sh', '--cluster', req.cluster, '--step', req.addon], tools: ['bash', 'az', 'kubectl', 'helm'], mutating: true, simulatedOnTwin: true };
  }
}

/** What to install when a tool is missing (shown before the job starts). */
export const INSTALL_HINTS: Record<Tool, string> = {
  tofu: 'OpenTofu ≥ 1.11 — https://opentofu.org/docs/intro/install/ (e.g. the standalone installer or the deb repository)',
  helm: 'Helm 3.15 or newer (the add-on plan hides Secrets with --hide-secret) — https://helm.sh/docs/intro/install/',
  kubectl: 'kubectl — `az aks install-cli` or https://kubernetes.io/docs/tasks/tools/',
  az: 'Azure CLI — https://learn.microsoft.com/cli/azure/install-azure-cli (with the k8s-configuration and k8s-extension extensions)',
  bash: 'bash',
};

/** Inputs of the jobs' server actions (each action builds its JobRequest from one of these). */
export const jobInputs = {
  none: z.object({}),
  cluster: z.object({ cluster }),
  clusterTarget: z.object({ cluster: clusterTarget }),
  plan: z.object({ planJobId: id }),
  addon: z.object({ cluster, addon: addonStep }),
  destroy: z.object({ confirm: printableText(200) }),
};
