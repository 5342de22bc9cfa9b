import 'server-only';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

/**
 * Cost Management throttles by query processing units per tenant and says how
 * long to back off in its own headers, which core-rest-pipeline's retry policy
 * does not read (it knows Retry-After, retry-after-ms, x-ms-retry-after-ms).
 * This policy reads them: a short wait is waited once; a long one becomes a
 * `CostThrottledError` so the caller stores "throttled until" and stops asking.
 */
export const COST_RETRY_HEADERS = [
  'x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-entity-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-tenant-retry-after',
  'x-ms-ratelimit-microsoft.costmanagement-clienttype-retry-after',
  'x-ms-ratelimit-microsoft.consumption-retry-after',
  'retry-after',
] as const;

export const QPU_CONSUMED_HEADER = 'x-ms-ratelimit-microsoft.costmanagement-qpu-consumed';
export const QPU_REMAINING_HEADER = 'x-ms-ratelimit-microsoft.costmanagement-qpu-remaining';

export class CostThrottledError extends Error {
  readonly statusCode = 429;
  constructor(
    readonly retryAfterMs: number,
    readonly header: string,
  ) {
    super(`Cost Management is throttling (429): retry after ${Math.ceil(retryAfterMs / 1000)} s (${header}).`);
    this.name = 'CostThrottledError';
  }
}

/** The longest back-off any of Cost Management's headers asks for, in ms; undefined when none is set. */
export function retryAfterMs(response: Pick<PipelineResponse, 'headers'>): { ms: number; header: string } | undefined {
  let best: { ms: number; header: string } | undefined;
  for (const name of COST_RETRY_HEADERS) {
    const raw = response.headers.get(name);
    if (!raw) continue;
    let ms = Number(raw) * 1000;
    if (Number.isNaN(ms)) ms = Date.parse(raw) - Date.now(); // Retry-After may be an HTTP date
    if (!Number.isFinite(ms)) continue;
    ms = Math.max(0, ms);
    if (!best || ms > best.ms) best = { ms, header: name };
  }
  return best;
}

export const COST_THROTTLING_POLICY = 'costManagementQpuThrottling';

export function costThrottlingPolicy(options: { maxWaitMs?: number; sleep?: (ms: number) => Promise<void> } = {}): PipelinePolicy {
  const maxWaitMs = options.maxWaitMs ?? 15_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    name: COST_THROTTLING_POLICY,
    async sendRequest(request, next) {
      let response = await next(request);
      for (let attempt = 0; response.status === 429; attempt++) {
        const after = retryAfterMs(response) ?? { ms: 60_000, header: 'none (default 60 s)' };
        if (attempt >= 1 || after.ms > maxWaitMs) throw new CostThrottledError(after.ms, after.header);
        await sleep(after.ms);
        response = await next(request);
      }
      return response;
    },
  };
}
