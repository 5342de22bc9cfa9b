import type { TwinExtension } from './server';
import { k8sExtension } from './k8s';
import { oidcExtension } from './oidc';
import { automationExtension } from './automation';
import { costExtension } from './cost';
import { dataProtectionExtension } from './dataprotection';
import { jobsExtension } from './jobs';
import { bastionExtension } from './bastion';
import { regionExtension } from './region';
import { monitorExtension } from './monitor';
import { armExtension } from './arm';
import { demoAppExtension } from './demo-app';
import { computeExtension } from './compute';
import { keyVaultExtension } from './keyvault';

/**
 * The twin's extensions, used by both the twin process (main.ts) and the
 * integration-test harness. Each capability that needs another Azure or
 * Kubernetes API adds its extension here. ARM answers whatever the others
 * did not take (an unknown path is ARM's 404), so it stays last.
 */
export function defaultExtensions(): TwinExtension[] {
  const k8s = k8sExtension();
  return [
    oidcExtension(),
    automationExtension(),
    costExtension(),
    k8s,
    dataProtectionExtension(),
    jobsExtension(),
    bastionExtension(),
    regionExtension(k8s),
    // Azure Monitor reads the Kubernetes model (metrics, events, pods) and sees the ARM writes it records in the activity log.
    monitorExtension(k8s),
    // The demo application's public entry: served while an app cluster has a Ready gateway and app pod.
    demoAppExtension(k8s),
    // Simulated Spot eviction of the VMs behind the Kubernetes nodes.
    computeExtension(k8s),
    // Key Vault's management plane: the secrets the gateway certificate is pushed to.
    keyVaultExtension(),
    // ARM's cluster extensions and Flux configurations report the Kubernetes model's Flux objects.
    armExtension(k8s),
  ];
}
