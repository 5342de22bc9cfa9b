import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { RestError as EsmRestError } from '@azure/core-rest-pipeline';
import { ApiException } from '@kubernetes/client-node';
import { AppError, isAppError, isRestError, toUserError, translateKubernetesError } from './errors';

/**
 * Next bundles the server more than once: after a restart that resumed work,
 * the SDK clients are created by the instrumentation bundle and its copy of
 * @azure/core-rest-pipeline, while an action runs in another bundle. The
 * package's CommonJS and ESM builds are two such copies, with two RestError
 * classes; a fault must read the same through either.
 */
const CjsRestError = (createRequire(import.meta.url)('@azure/core-rest-pipeline') as { RestError: typeof EsmRestError }).RestError;

function armFault(RestErrorClass: typeof EsmRestError, status: number, code: string, message: string) {
  const bodyAsText = JSON.stringify({ error: { code, message } });
  return new RestErrorClass(message, { statusCode: status, code, response: { status, bodyAsText } as never });
}

const FAULTS = [
  [409, 'OperationNotAllowed', 'Stopping a stopped cluster is not allowed.', 'refused'],
  [429, 'TooManyRequests', 'Too many requests.', 'throttled'],
  [500, 'InternalServerError', 'Something broke.', 'upstream'],
  [404, 'ResourceNotFound', 'Not there.', 'not_found'],
] as const;

describe('errors keep their meaning across bundles', () => {
  it('the two builds really are different classes (the condition being tested)', () => {
    expect(CjsRestError).not.toBe(EsmRestError);
    expect(armFault(CjsRestError, 409, 'x', 'y')).not.toBeInstanceOf(EsmRestError);
  });

  it.each(FAULTS)('an Azure %i reads the same from either copy of the SDK', (status, code, message, kind) => {
    const fromEsm = toUserError(armFault(EsmRestError, status, code, message));
    const fromCjs = toUserError(armFault(CjsRestError, status, code, message));
    expect(fromCjs).toEqual(fromEsm);
    expect(fromCjs.kind).toBe(kind);
    expect(fromCjs.code).toBe(code);
    expect(fromCjs.message).toContain(message);
  });

  it('an AppError thrown by another copy of this module keeps its kind, code and message', async () => {
    vi.resetModules();
    const other = (await import('./errors')) as typeof import('./errors');
    expect(other.AppError).not.toBe(AppError);
    const thrown = new other.AppError('refused', 'AKS refused it.', 'OperationNotAllowed');
    expect(isAppError(thrown)).toBe(true);
    expect(toUserError(thrown)).toEqual({ kind: 'refused', message: 'AKS refused it.', code: 'OperationNotAllowed' });
  });

  it('does not take any object for one of ours', () => {
    expect(isAppError({ kind: 'refused', message: 'x' })).toBe(false);
    expect(isAppError(new Error('x'))).toBe(false);
    expect(isRestError({ name: 'RestError', message: 'x', statusCode: '500' })).toBe(false);
    expect(toUserError(new TypeError('secret internals'))).toEqual({ kind: 'internal', message: 'An unexpected error occurred; it has been logged.' });
  });
});

describe('Kubernetes errors are translated in one place', () => {
  // client-node 1.x throws ApiException(code, message, body, headers), the body being the API server's Status as text.
  const status = (code: number, reason: string, message: string) =>
    new ApiException(code, `HTTP-Code: ${code}\nMessage: Unknown API Status Code!\nBody: …`, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code }), {});

  it('reads the Status the API server sent: its message and reason, by HTTP code', () => {
    const notFound = translateKubernetesError(status(404, 'NotFound', 'pods "web-0" not found'), 'app1');
    expect([notFound.kind, notFound.message, notFound.code]).toEqual(['not_found', 'pods "web-0" not found', 'NotFound']);
    const pdb = translateKubernetesError(status(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget."), 'app1');
    expect([pdb.kind, pdb.code]).toEqual(['refused', 'TooManyRequests']);
    expect(translateKubernetesError(status(409, 'Conflict', 'the object has been modified'), 'app1').kind).toBe('conflict');
    expect(translateKubernetesError(status(403, 'Forbidden', 'nodes is forbidden'), 'app1').message).toMatch(/^Kubernetes refused the credential: nodes is forbidden/);
    expect(translateKubernetesError(status(500, 'InternalError', 'etcdserver: request timed out'), 'app1').kind).toBe('upstream');
  });

  it('a body that is not a Status still gives a plain sentence, never the exception text', () => {
    const e = translateKubernetesError(new ApiException(502, 'HTTP-Code: 502\nMessage: …', '<html>Bad Gateway</html>', {}), 'mgmt');
    expect([e.kind, e.message]).toEqual(['upstream', 'Kubernetes API of mgmt answered 502']);
  });

  it('a dropped connection is the cluster not answering, with the first line of the cause', () => {
    const err = Object.assign(new TypeError('fetch failed\n    at node:internal'), { cause: { code: 'ECONNREFUSED' } });
    const e = translateKubernetesError(err, 'app2');
    expect([e.kind, e.code, e.message]).toEqual(['upstream', 'ECONNREFUSED', 'the Kubernetes API server of app2 is not answering (fetch failed)']);
  });

  it('a product error passes through unchanged', () => {
    const own = new AppError('validation', 'no such zone');
    expect(translateKubernetesError(own, 'app1')).toBe(own);
  });
});
