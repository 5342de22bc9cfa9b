import type { z } from 'zod';
import { currentActor, roleAtLeast, type Actor, type Role } from '../auth';
import { recordAudit } from '../audit';
import { toUserError, type UserError } from '../errors';

/**
 * The one way to declare an action (a server action is a public HTTP
 * endpoint): role check → input parse → run one command → audit entry, in
 * that order, always. Expected failures come back as `{ ok: false, error }`.
 */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: UserError };

export interface ActionSpec<S extends z.ZodType, T> {
  name: string;
  role: Role;
  input: S;
  /** The audit target, from the parsed input. */
  target: (input: z.infer<S>) => string;
  run: (ctx: { actor: Actor; input: z.infer<S> }) => Promise<T>;
  /** The audit result for a successful run (default `ok`). */
  resultOf?: (data: T) => 'ok' | 'accepted' | 'refused' | 'failed';
}

export function defineAction<S extends z.ZodType, T>(spec: ActionSpec<S, T>) {
  const action = async (raw: unknown): Promise<ActionResult<T>> => {
    const started = performance.now();
    const actor = await currentActor();
    const audit = (result: Parameters<typeof recordAudit>[0]['result'], target: string, params: unknown, error?: string) =>
      recordAudit({ actor, action: spec.name, target, params, result, error, durationMs: performance.now() - started });

    if (!actor) {
      await audit('forbidden', '-', raw, 'not signed in');
      return { ok: false, error: { kind: 'unauthenticated', message: 'Sign in first.' } };
    }
    if (!roleAtLeast(actor.role, spec.role)) {
      await audit('forbidden', '-', raw, `requires ${spec.role}`);
      return { ok: false, error: { kind: 'forbidden', message: `This needs the ${spec.role} role; you are ${actor.role}.` } };
    }
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      await audit('invalid', '-', raw, message);
      return { ok: false, error: { kind: 'validation', message } };
    }
    const input = parsed.data as z.infer<S>;
    const target = spec.target(input);
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
  };
  return Object.assign(action, { actionName: spec.name, requiredRole: spec.role });
}
