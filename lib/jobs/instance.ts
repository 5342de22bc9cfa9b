import 'server-only';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { getConfig } from '../config';

/**
 * This server process as the jobs see it: the settings jobs run with, its name as lock holder
 * and job owner, and the jobs it runs now.
 */

export interface JobsOptions {
  infraDir: string;
  planDir: string;
  /** SIGINT → SIGTERM → SIGKILL spacing. */
  graceMs: number;
  flushMs: number;
  heartbeatMs: number;
  /** A running job whose heartbeat is older than this belongs to a server that died. */
  staleMs: number;
  /** Simulate the tofu/helm kinds on the twin (the twin target). */
  simulate: boolean;
  twinUrl: string;
  /** Real ms per twin ms for simulated progress, and the longest pause between progress lines. */
  clockSpeed: number;
  paceCapMs: number;
  /** The server's environment, from which the job's is filtered and secret values are taken. */
  sourceEnv: Record<string, string | undefined>;
}

const OPTIONS = Symbol.for('aks-demo.jobs.options');
const RUNNING = Symbol.for('aks-demo.jobs.running');
type Holder = { [OPTIONS]?: Partial<JobsOptions>; [RUNNING]?: Map<string, { cancel(by: string): void }> };
const g = globalThis as Holder;

/** This server process, as a lock holder and job owner. */
export const INSTANCE = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export function running(): Map<string, { cancel(by: string): void }> {
  g[RUNNING] ??= new Map();
  return g[RUNNING];
}

/** Tests and the launcher may override paths and timings. */
export function configureJobs(options: Partial<JobsOptions>): void {
  g[OPTIONS] = { ...g[OPTIONS], ...options };
}

export function jobsOptions(): JobsOptions {
  const config = getConfig();
  return {
    infraDir: config.jobs.infraDir,
    planDir: config.jobs.planDir,
    graceMs: 10_000,
    flushMs: 250,
    heartbeatMs: 2_000,
    staleMs: 15_000,
    // The environment is the twin (its target, or the azure settings pointed at it): tofu would have nothing to create.
    simulate: config.twinUrl !== undefined,
    twinUrl: config.twinUrl ?? config.armEndpoint,
    clockSpeed: config.twin.clockSpeed,
    paceCapMs: 1_500,
    sourceEnv: process.env,
    ...g[OPTIONS],
  };
}

/** The environment's name: what the lock is keyed on and what destroy asks to be typed (rg-<name>-common). */
export function environmentName(): string {
  return getConfig().commonResourceGroup.replace(/^rg-/, '').replace(/-common$/, '');
}
