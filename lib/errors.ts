import { RestError } from '@azure/core-rest-pipeline';

/**
 * Typed errors that commands throw, and the one adapter that turns any error
 * into what the UI shows. Unknown errors never leak their raw message.
 */
export type ErrorKind = 'validation' | 'forbidden' | 'unauthenticated' | 'not_found' | 'conflict' | 'refused' | 'throttled' | 'upstream';

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export interface UserError {
  kind: ErrorKind | 'internal';
  message: string;
  code?: string;
}

/** Maps an Azure SDK error (ARM or twin) to a user-facing error. */
export function fromAzureError(err: RestError): AppError {
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
  if (err instanceof AppError) return { kind: err.kind, message: err.message, code: err.code };
  if (err instanceof RestError) return toUserError(fromAzureError(err));
  if (err instanceof Error && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|socket hang up|certificate/i.test(err.message)) {
    return { kind: 'upstream', message: `The API could not be reached (${err.message.split('\n')[0]})` };
  }
  return { kind: 'internal', message: 'An unexpected error occurred; it has been logged.' };
}
