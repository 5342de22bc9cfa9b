import type { TwinExtension } from './server';
import { k8sExtension } from './k8s';
import { costExtension } from './cost';

/**
 * The twin's extensions, used by both the twin process (main.ts) and the
 * integration-test harness. Each capability that needs another Azure or
 * Kubernetes API adds its extension here.
 */
export function defaultExtensions(): TwinExtension[] {
  return [costExtension(), k8sExtension()];
}
