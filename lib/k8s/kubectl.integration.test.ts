import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

/**
 * kubectl, a client this project did not write, against a twin cluster, with
 * the kubeconfig the twin's ARM listClusterUserCredentials hands out (its
 * kubelogin user replaced by the token kubelogin would fetch, as lib/k8s does).
 * kubectl is installed on the machines this runs on; without it the test fails.
 */
const run = promisify(execFile);
let twin: Twin;
let env: NodeJS.ProcessEnv;

function kubectlPath(): string {
  try {
    return execFileSync('which', ['kubectl'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('kubectl is not installed (`which kubectl` found nothing): install kubectl to run the twin’s kubectl test.');
  }
}

async function kubectl(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(kubectlPath(), args, { env, timeout: 60_000 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`kubectl ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

beforeAll(async () => {
  kubectlPath();
  ({ twin } = await startHarness({ profile: 'nap', clockSpeed: 600 }));
  const { getAzureClients } = await import('../azure');
  const { kubeConfigFromAks } = await import('./index');
  const { containerService, credential } = getAzureClients();
  const creds = await containerService.managedClusters.listClusterUserCredentials('rg-k8s-demo-app1', 'aks-app1');
  const { kubeConfig } = await kubeConfigFromAks('aks-app1', Buffer.from(creds.kubeconfigs![0].value!).toString('utf8'), (scope) => credential.getToken(scope));
  const dir = mkdtempSync(join(tmpdir(), 'twin-kubectl-'));
  writeFileSync(join(dir, 'config'), kubeConfig.exportConfig());
  // Its own discovery cache: another twin on another port must not answer from an old one.
  env = { ...process.env, HOME: dir, KUBECONFIG: join(dir, 'config'), KUBECACHEDIR: join(dir, 'cache') };
});

afterAll(async () => {
  await twin?.close();
});

describe('kubectl against the twin', () => {
  it('discovers the core, apps, policy, coordination, karpenter.sh and metrics groups', async () => {
    const names = (await kubectl('api-resources', '-o', 'name')).split('\n');
    for (const r of ['pods', 'nodes', 'namespaces', 'events', 'deployments.apps', 'daemonsets.apps', 'poddisruptionbudgets.policy', 'leases.coordination.k8s.io', 'nodepools.karpenter.sh', 'nodeclaims.karpenter.sh', 'nodes.metrics.k8s.io', 'pods.metrics.k8s.io', 'selfsubjectaccessreviews.authorization.k8s.io']) {
      expect(names, r).toContain(r);
    }
    expect(JSON.parse(await kubectl('get', '--raw', '/version'))).toMatchObject({ gitVersion: expect.stringMatching(/^v1\.35\./) });
    expect(await kubectl('get', '--raw', '/readyz')).toBe('ok');
  });

  it('gets and describes nodes, namespaces, pods, deployments, daemonsets, nodepools and nodeclaims, with real ages', async () => {
    const nodes = await kubectl('get', 'nodes');
    expect(nodes).toMatch(/aks-system-/);
    // One clock: a node created now is seconds old, never `<invalid>` (a creation time in the future).
    expect(nodes).not.toContain('<invalid>');
    // Server-side printing: the columns kube-apiserver prints for nodes, with the age from the one clock.
    expect(nodes).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    expect(nodes).toMatch(/aks-system-\S+\s+Ready\s+<none>\s+\d+s\s+v1\.35\.\d+/);
    expect(await kubectl('get', 'deploy', 'demo-app', '-n', 'demo')).toMatch(/demo-app\s+3\/3\s+3\s+3\s+\d+s/);
    expect(await kubectl('get', 'ns', '-o', 'name')).toContain('namespace/demo');
    expect(await kubectl('get', 'pods', '-n', 'demo', '-o', 'name')).toMatch(/pod\/demo-app-/);
    expect(await kubectl('get', 'deploy', '-A', '-o', 'name')).toContain('deployment.apps/demo-app');
    expect(await kubectl('get', 'ds', '-n', 'kube-system', '-o', 'name')).toMatch(/daemonset\.apps\//);
    expect(await kubectl('get', 'nodepools', '-o', 'name')).toContain('nodepool.karpenter.sh/spot-workers');
    expect(await kubectl('get', 'nodeclaims', '-o', 'name')).toMatch(/nodeclaim\.karpenter\.sh\/aks-spot-workers-/);
    const node = (await kubectl('get', 'nodes', '-l', 'kubernetes.azure.com/agentpool=system', '-o', 'name')).split('\n')[0];
    const described = await kubectl('describe', node);
    expect(described).toMatch(/topology\.kubernetes\.io\/zone=koreacentral-\d/);
    expect(described).toContain('Allocated resources:');
    expect(await kubectl('describe', 'deploy', 'demo-app', '-n', 'demo')).toMatch(/Replicas:\s+3 desired/);
  });

  it('cordons, drains through the Eviction API and uncordons; events record it', async () => {
    const node = (await kubectl('get', 'nodes', '-l', 'kubernetes.azure.com/agentpool=ingress', '-o', 'name')).split('\n')[0];
    expect(await kubectl('cordon', node)).toContain('cordoned');
    expect(await kubectl('get', node, '-o', 'jsonpath={.spec.unschedulable}')).toBe('true');
    expect(await kubectl('get', node)).toMatch(/Ready,SchedulingDisabled/);
    const drained = await kubectl('drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s');
    expect(drained).toContain('drained');
    const left = await kubectl('get', 'pods', '-A', '--field-selector', `spec.nodeName=${node.replace('node/', '')}`, '-o', 'jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}{"\\n"}{end}');
    expect(left.split('\n').filter(Boolean).every((k) => k === 'DaemonSet')).toBe(true);
    expect(await kubectl('uncordon', node)).toContain('uncordoned');
    expect(await kubectl('get', node, '-o', 'jsonpath={.spec.unschedulable}')).toBe('');
    expect(await kubectl('get', 'events', '-A', '-o', 'name')).toMatch(/event\//);
  });

  it('scales a deployment and follows the rollout to its end', async () => {
    expect(await kubectl('scale', 'deploy/demo-app', '-n', 'demo', '--replicas=4')).toContain('scaled');
    expect(await kubectl('rollout', 'status', 'deploy/demo-app', '-n', 'demo', '--timeout=60s')).toContain('successfully rolled out');
    expect(await kubectl('get', 'deploy', 'demo-app', '-n', 'demo', '-o', 'jsonpath={.status.readyReplicas}')).toBe('4');
  });

  it('tops nodes and pods from the Metrics API and answers auth can-i', async () => {
    expect(await kubectl('top', 'nodes')).toMatch(/aks-system-\S+\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%/);
    expect(await kubectl('top', 'pods', '-n', 'demo')).toMatch(/demo-app-\S+\s+\d+m\s+\d+Mi/);
    expect((await kubectl('auth', 'can-i', 'get', 'pods', '-n', 'demo')).trim()).toBe('yes');
  });
});
