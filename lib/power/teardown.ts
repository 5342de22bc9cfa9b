import { startJob } from '../jobs';
import type { Actor } from '../auth';

/**
 * Tear down between sessions (§11.2 pattern A): `tofu destroy` through the jobs capability
 * (issue 7: allow-listed, Admin, the environment's name typed to confirm, one mutating job at
 * a time). Waking from it is `tofu plan` → `tofu apply` → the add-on install, run from the Jobs
 * page (≈ 25 min + the install).
 */
export function tearDownEnvironment(actor: Actor, confirm: string): Promise<{ jobId: string; simulated: boolean }> {
  return startJob(actor, { kind: 'tofu-destroy', confirm });
}
