/**
 * Jobs: OpenTofu and the add-on installer run from the dashboard, from an allow-list
 * (catalog.ts), with live logs kept in the database, one mutating job per environment, cancel,
 * crash recovery and preflight. On the twin target the tofu/helm kinds drive the twin instead
 * (simulated.ts) and say so.
 */
import 'server-only';
export { jobInputs, jobRequestSchema, jobSpec, CLUSTER_TARGETS, type JobKind, type JobRequest } from './catalog';
export type { PlanSummary } from './plan';
export type { AddonPlanSummary, ReleaseDiff } from '../domain/addon-plan';
export type { ToolStatus } from './preflight';
export type { LockHeld } from './lock';
export { configureJobs, environmentName, INSTANCE, jobsOptions, type JobsOptions } from './instance';
export {
  getJob, getJobDetail, getJobLines, getLock, getPreflight, latestReviewablePlan, listJobs,
  type JobDetailData, type JobRow, type JobStatus, type LockView,
} from './queries';
export { applyAddonPlan, cancelInput, cancelJob, forceUnlock, forceUnlockInput, recoverInterruptedJobs, startJob } from './commands';
