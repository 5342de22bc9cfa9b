/**
 * Typed errors that commands throw, and the one adapter that turns any error
 * into what the UI shows. Unknown errors never leak their raw message.
 *
 * Errors are recognised by their shape, never by `instanceof`: Next bundles
 * the server code more than once (instrumentation, each route, the actions),
 * and a client created in one bundle throws the RestError class of that
 * bundle — which is not the class another bundle imported.
 */
export const ERROR_KINDS = ['validation', 'forbidden', 'unauthenticated', 'not_found', 'conflict', 'refused', 'throttled', 'upstream'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

const BRAND = Symbol.for('aks-demo.app-error');

export class AppError extends Error {
  readonly [BRAND] = true;
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** An AppError from any copy of this module. */
export function isAppError(err: unknown): err is AppError {
  if (err instanceof AppError) return true;
  if (!err || typeof err !== 'object' || !(BRAND in err)) return false;
  const kind = (err as { kind?: unknown }).kind;
  return typeof kind === 'string' && (ERROR_KINDS as readonly string[]).includes(kind) && typeof (err as { message?: unknown }).message === 'string';
}

/** The parts of @azure/core-rest-pipeline's RestError this module reads, from any copy of that package. */
export interface RestErrorShape {
  name: 'RestError';
  message: string;
  code?: string;
  statusCode?: number;
  response?: { bodyAsText?: string | null; headers?: { get(name: string): string | undefined } };
}

export function isRestError(err: unknown): err is RestErrorShape {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: unknown; statusCode?: unknown; message?: unknown };
  return e.name === 'RestError' && typeof e.message === 'string' && (e.statusCode === undefined || typeof e.statusCode === 'number');
}

/** The product's error for an Azure SDK error; anything else is returned as it is. */
export function translateAzureError(err: unknown): unknown {
  return isRestError(err) ? fromAzureError(err) : err;
}

export interface UserError {
  kind: ErrorKind | 'internal';
  message: string;
  code?: string;
}

/** Maps an Azure SDK error (ARM or twin) to a user-facing error. */
export function fromAzureError(err: RestErrorShape): AppError {
  const status = err.statusCode ?? 0;
  // Some SDK paths (paging) replace ARM's message with a generic one; the body still has it.
  const body = armErrorBody(err.response?.bodyAsText);
  const code = body?.code ?? err.code;
  const message = body?.message ?? (err.message || 'Azure returned an error');
  if (status === 429) return new AppError('throttled', `Azure is throttling requests: ${message}`, code);
  if (status === 404) return new AppError('not_found', message, code);
  if (status === 401 || status === 403) return new AppError('upstream', `Azure refused the credential: ${message}`, code);
  if (status >= 400 && status < 500) return new AppError('refused', message, code);
  if (status >= 500) return new AppError('upstream', `Azure failed (${status}): ${message}`, code);
  return new AppError('upstream', `Azure could not be reached: ${message}`, code);
}

/**
 * The product's error for a Kubernetes client error: the one place where
 * client-node's errors are read. Its ApiException carries the HTTP `code` and
 * the API server's Status as `body`; a dropped connection is a plain Error.
 */
export function translateKubernetesError(err: unknown, cluster: string): AppError {
  if (isAppError(err)) return err;
  const e = err as { code?: unknown; body?: unknown; message?: string; cause?: { code?: string } };
  if (typeof e.code === 'number') {
    let message = `Kubernetes API of ${cluster} answered ${e.code}`;
    let reason: string | undefined;
    try {
      const status = JSON.parse(String(e.body)) as { message?: string; reason?: string };
      if (status.message) message = status.message;
      reason = status.reason;
    } catch {
      /* a body that is not a Status */
    }
    if (e.code === 404) return new AppError('not_found', message, reason);
    if (e.code === 409) return new AppError('conflict', message, reason);
    if (e.code === 429) return new AppError('refused', message, reason ?? 'TooManyRequests');
    if (e.code === 401 || e.code === 403) return new AppError('upstream', `Kubernetes refused the credential: ${message}`, reason);
    if (e.code >= 400 && e.code < 500) return new AppError('refused', message, reason);
    return new AppError('upstream', message, reason);
  }
  const detail = (e.message ?? String(err)).split('\n')[0];
  return new AppError('upstream', `the Kubernetes API server of ${cluster} is not answering (${detail})`, e.cause?.code ?? 'Unreachable');
}

function armErrorBody(text: string | null | undefined): { code?: string; message?: string } | undefined {
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return parsed.error?.message ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

export function toUserError(err: unknown): UserError {
  if (isAppError(err)) return { kind: err.kind, message: err.message, code: err.code };
  if (isRestError(err)) return toUserError(fromAzureError(err));
  if (err instanceof Error && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket hang up|certificate/i.test(err.message)) {
    return { kind: 'upstream', message: `The API could not be reached (${err.message.split('\n')[0]})` };
  }
  return { kind: 'internal', message: 'An unexpected error occurred; it has been logged.' };
}
