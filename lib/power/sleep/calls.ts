import 'server-only';
import { translateAzureError, translateKubernetesError } from '../../errors';
import type { ClusterKey } from '../../config';

/** Every Azure and Kubernetes call of a sleep or wake goes through these: failures become the product's errors. */
export function azure<T>(p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw translateAzureError(err);
  });
}

export function k8s<T>(key: ClusterKey, p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    throw translateKubernetesError(err, key);
  });
}
