import { randomUUID } from 'node:crypto';
import { getDb } from '../db';
import type { Actor } from '../auth';

export type AuditResult = 'ok' | 'accepted' | 'refused' | 'failed' | 'forbidden' | 'invalid';

export interface AuditInput {
  actor: Actor | null;
  action: string;
  target: string;
  params: unknown;
  result: AuditResult;
  error?: string;
  durationMs: number;
  at?: Date;
}

const SECRET_KEY = /secret|password|token|key|credential/i;

/** Parameters as stored: values under secret-looking keys are removed. */
export function redactParams(params: unknown): unknown {
  if (Array.isArray(params)) return params.map(redactParams);
  if (params && typeof params === 'object') {
    return Object.fromEntries(
      Object.entries(params as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactParams(v)]),
    );
  }
  return params;
}

export async function recordAudit(entry: AuditInput): Promise<void> {
  await getDb().auditEntry.create({
    data: {
      id: randomUUID(),
      at: entry.at ?? new Date(),
      actorId: entry.actor?.id ?? 'anonymous',
      actorName: entry.actor?.name ?? 'anonymous',
      role: entry.actor?.role ?? 'none',
      action: entry.action,
      target: entry.target,
      params: JSON.stringify(redactParams(entry.params) ?? null),
      result: entry.result,
      error: entry.error ?? null,
      durationMs: Math.round(entry.durationMs),
    },
  });
}

export async function listAudit(limit = 50) {
  return getDb().auditEntry.findMany({ orderBy: { at: 'desc' }, take: limit });
}
