import 'server-only';
import { z } from 'zod';
import { recordAudit } from '../audit';
import type { Actor } from '../auth';
import { getDb } from '../db';
import { powerEnvironment } from '../power';

/**
 * The budget guard (a Cost Management budget only notifies, 8–24 h late; it stops
 * nothing). Off by default; an Admin turns it on. When the forecast for the
 * month crosses the budget it either records a notice or powers the
 * environment down through the same command as "Power down": AKS stop where
 * AKS allows it, sleep for NAP clusters, which AKS refuses to stop.
 */
export const guardInput = z.object({
  enabled: z.boolean(),
  action: z.enum(['notify', 'power-down']),
});
export type GuardInput = z.infer<typeof guardInput>;

export interface GuardSettings extends GuardInput {
  updatedAt: number | null;
  updatedBy: string | null;
  lastTriggeredAt: number | null;
  lastOutcome: string | null;
}

const ID = 'default';
/** The guard acts at most this often while the forecast stays over the budget. */
export const GUARD_REPEAT_MS = 6 * 3_600_000;

/** Who the guard acts as, in the audit log. */
const GUARD_ACTOR = { id: 'system:budget-guard', name: 'Budget guard', role: 'Admin', via: 'system' } as const;

export async function getGuard(): Promise<GuardSettings> {
  const row = await getDb().budgetGuard.findUnique({ where: { id: ID } });
  if (!row) return { enabled: false, action: 'notify', updatedAt: null, updatedBy: null, lastTriggeredAt: null, lastOutcome: null };
  return {
    enabled: row.enabled,
    action: row.action === 'power-down' ? 'power-down' : 'notify',
    updatedAt: row.updatedAt.getTime(),
    updatedBy: row.updatedBy,
    lastTriggeredAt: row.lastTriggeredAt?.getTime() ?? null,
    lastOutcome: row.lastOutcome,
  };
}

export async function setGuard(actor: Actor, input: GuardInput): Promise<GuardSettings> {
  const now = new Date();
  await getDb().budgetGuard.upsert({
    where: { id: ID },
    create: { id: ID, enabled: input.enabled, action: input.action, updatedAt: now, updatedBy: actor.name },
    update: { enabled: input.enabled, action: input.action, updatedAt: now, updatedBy: actor.name },
  });
  return getGuard();
}

export interface GuardDecision {
  acted: boolean;
  reason: string;
}

/** Called when a fresh forecast arrives. */
export async function evaluateGuard(projected: number, budget: number, now = Date.now()): Promise<GuardDecision> {
  const g = await getGuard();
  if (!g.enabled) return { acted: false, reason: 'guard off' };
  if (projected <= budget) return { acted: false, reason: `forecast $${projected.toFixed(2)} within $${budget}` };
  if (g.lastTriggeredAt && now - g.lastTriggeredAt < GUARD_REPEAT_MS) return { acted: false, reason: 'acted recently' };
  const started = performance.now();
  const params = { projected: Math.round(projected * 100) / 100, budget, action: g.action };
  let outcome: string;
  let result: 'ok' | 'accepted' | 'failed' = 'ok';
  if (g.action === 'notify') {
    outcome = `Forecast $${params.projected} crosses the $${budget} budget (notice only).`;
  } else {
    const results = await powerEnvironment(GUARD_ACTOR, 'stop');
    outcome =
      `Forecast $${params.projected} crosses the $${budget} budget: power down — ` +
      results.map((r) => `${r.cluster}: ${r.outcome}${'reason' in r ? ` (${r.reason})` : ''}`).join('; ');
    result = results.some((r) => r.outcome === 'failed') ? 'failed' : 'accepted';
  }
  await getDb().budgetGuard.update({ where: { id: ID }, data: { lastTriggeredAt: new Date(now), lastOutcome: outcome } });
  await recordAudit({
    actor: GUARD_ACTOR,
    action: g.action === 'notify' ? 'budget.guard.notify' : 'budget.guard.power-down',
    target: 'environment',
    params,
    result,
    error: result === 'failed' ? outcome : undefined,
    durationMs: performance.now() - started,
  });
  return { acted: true, reason: outcome };
}
