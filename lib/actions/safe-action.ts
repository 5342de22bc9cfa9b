import 'server-only';
import type { z } from 'zod';
import { headers } from 'next/headers';
import { currentActor, roleAtLeast, type Actor, type Role } from '../auth';
import { recordAudit } from '../audit';
import { toUserError, type UserError } from '../errors';
import { clientAddress, refusalGate } from './refusals';

/** The largest input an action takes by default, as JSON (the schedule form with a year of holidays is ~6 KB). */
export const MAX_ACTION_INPUT_CHARS = 16_384;

/** The size of an input as JSON, or Infinity when it is not plain data. */
function inputSize(raw: unknown): number {
  try {
    return JSON.stringify(raw ?? null).length;
  } catch {
    return Infinity;
  }
}

/**
 * The one way to declare an action (a server action is a public HTTP
 * endpoint): role check → input parse → run one command → audit entry, in
 * that order, always. Expected failures come back as `{ ok: false, error }`.
 */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: UserError };

export interface ActionSpec<S extends z.ZodType, T, P = never> {
  name: string;
  role: Role;
  input: S;
  /** The audit target, from the parsed input. */
  target: (input: z.infer<S>) => string;
  run: (ctx: { actor: Actor; input: z.infer<S> }) => Promise<T>;
  /** The audit result for a successful run (default `ok`). */
  resultOf?: (data: T) => 'ok' | 'accepted' | 'refused' | 'failed';
  /** The largest input accepted, as JSON characters (default MAX_ACTION_INPUT_CHARS). */
  maxInputChars?: number;
  /**
   * Answer within `ms` even when the run reads a slow upstream first: past it the
   * caller gets `pending(input)` and the run finishes in the background, recorded
   * in the audit trail when it ends; its progress shows where the page shows it.
   */
  answerWithin?: { ms: number; pending: (input: z.infer<S>) => P };
}

const STILL_RUNNING = Symbol('still running');

export function defineAction<S extends z.ZodType, T, P = never>(spec: ActionSpec<S, T, P>) {
  const action = async (raw: unknown): Promise<ActionResult<T | P>> => {
    const started = performance.now();
    const actor = await currentActor();
    const audit = (result: Parameters<typeof recordAudit>[0]['result'], target: string, params: unknown, error?: string) =>
      recordAudit({ actor, action: spec.name, target, params, result, error, durationMs: performance.now() - started });

    // A refused call is recorded once per caller and window, and a caller refused too often is told so.
    const refuse = async (result: 'forbidden' | 'invalid', params: unknown, reason: string, error: UserError): Promise<ActionResult<T>> => {
      const gate = await refusalGate().refuse({ userId: actor?.id, address: clientAddress(await headers()) }, spec.name);
      if (gate.record) await audit(result, '-', gate.suppressed ? { input: params, unrecordedBefore: gate.suppressed } : params, reason);
      if (gate.throttled) return { ok: false, error: { kind: 'throttled', message: `Too many refused requests; try again in ${gate.retryAfterS} s.` } };
      return { ok: false, error };
    };

    if (!actor) return refuse('forbidden', raw, 'not signed in', { kind: 'unauthenticated', message: 'Sign in first.' });
    if (!roleAtLeast(actor.role, spec.role)) {
      return refuse('forbidden', raw, `requires ${spec.role}`, { kind: 'forbidden', message: `This needs the ${spec.role} role; you are ${actor.role}.` });
    }
    const size = inputSize(raw);
    const max = spec.maxInputChars ?? MAX_ACTION_INPUT_CHARS;
    if (size > max) {
      const message = Number.isFinite(size) ? `The input is too large (${size} characters; at most ${max}).` : 'The input is not plain data.';
      return refuse('invalid', { size }, message, { kind: 'validation', message });
    }
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      return refuse('invalid', raw, message, { kind: 'validation', message });
    }
    const input = parsed.data as z.infer<S>;
    const target = spec.target(input);
    const work = (async (): Promise<ActionResult<T>> => {
      try {
        const data = await spec.run({ actor, input });
        await audit(spec.resultOf?.(data) ?? 'ok', target, input);
        return { ok: true, data };
      } catch (err) {
        const error = toUserError(err);
        if (error.kind === 'internal') console.error(`action ${spec.name} failed`, err);
        await audit(error.kind === 'refused' ? 'refused' : 'failed', target, input, error.code ? `${error.code}: ${error.message}` : error.message);
        return { ok: false, error };
      }
    })();
    if (!spec.answerWithin) return work;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<typeof STILL_RUNNING>((resolve) => {
      timer = setTimeout(() => resolve(STILL_RUNNING), spec.answerWithin!.ms);
    });
    const first = await Promise.race([work, deadline]);
    clearTimeout(timer);
    if (first !== STILL_RUNNING) return first;
    work.catch((err: unknown) => console.error(`action ${spec.name} failed in the background`, err));
    return { ok: true, data: spec.answerWithin.pending(input) };
  };
  return Object.assign(action, { actionName: spec.name, requiredRole: spec.role });
}
