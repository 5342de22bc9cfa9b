import type { ClusterKey } from '../config';
import { getRestoreStatus } from '../backup';

/**
 * The restore check: the cluster's latest restore (the one the run started
 * from this process, its job read directly) as Data Protection reports it.
 */
export async function restoreJobState(key: ClusterKey): Promise<{ ok: boolean; detail: string }> {
  const s = await getRestoreStatus(key);
  return { ok: s.state === 'succeeded', detail: s.message };
}
