import { randomUUID } from 'node:crypto';

/**
 * The twin's activity log: the control-plane writes it has served (stop,
 * start, node pool scale, cluster or resource group delete), with who asked,
 * in ActivityLogs_List's shape (EventData). Bounded like everything the twin keeps.
 */

export interface ActivityRecord {
  id: string;
  at: number;
  caller: string;
  /** e.g. Microsoft.ContainerService/managedClusters/stop/action */
  operation: string;
  resourceId: string;
  resourceGroup: string;
  status: 'Accepted' | 'Succeeded' | 'Failed';
  httpStatus: number;
  method: string;
}

const MAX_RECORDS = 500;

/** Which ARM writes are recorded, and the operation name Azure gives them. */
export function operationOf(method: string, path: string): { operation: string; resourceId: string; resourceGroup: string } | undefined {
  const m = /^(\/subscriptions\/[^/]+\/resourcegroups\/([^/]+))(\/providers\/microsoft\.containerservice\/managedclusters\/[^/]+)?(\/agentpools\/[^/]+)?(\/(stop|start))?$/i.exec(path);
  if (!m) return undefined;
  const [, groupId, group, cluster, pool, , verb] = m;
  if (cluster && verb && method === 'POST') return { operation: `Microsoft.ContainerService/managedClusters/${verb}/action`, resourceId: `${groupId}${cluster}`, resourceGroup: group };
  if (cluster && pool && !verb && method === 'PUT') return { operation: 'Microsoft.ContainerService/managedClusters/agentPools/write', resourceId: `${groupId}${cluster}${pool}`, resourceGroup: group };
  if (cluster && !pool && !verb && method === 'DELETE') return { operation: 'Microsoft.ContainerService/managedClusters/delete', resourceId: `${groupId}${cluster}`, resourceGroup: group };
  if (cluster && !pool && !verb && method === 'PUT') return { operation: 'Microsoft.ContainerService/managedClusters/write', resourceId: `${groupId}${cluster}`, resourceGroup: group };
  if (!cluster && !pool && !verb && method === 'DELETE') return { operation: 'Microsoft.Resources/subscriptions/resourceGroups/delete', resourceId: groupId, resourceGroup: group };
  return undefined;
}

/** The caller Azure records: the token's upn (a person) or its appid (an identity); the twin's fixed token is the dashboard. */
export function callerOf(authorization: string | undefined): string {
  const token = /^Bearer (\S+)/.exec(authorization ?? '')?.[1] ?? '';
  const parts = token.split('.');
  if (parts.length === 3) {
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
      const who = claims.upn ?? claims.unique_name ?? claims.preferred_username ?? claims.appid ?? claims.azp ?? claims.oid;
      if (typeof who === 'string' && who) return who.slice(0, 200);
    } catch {
      // not a JWT: fall through
    }
  }
  return 'aks-demo-dashboard';
}

export class ActivityLog {
  readonly records: ActivityRecord[] = [];

  add(r: Omit<ActivityRecord, 'id'>): void {
    this.records.push({ id: randomUUID(), ...r });
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
  }
}

/** `$filter` as Azure requires it: eventTimestamp ge '…' (and le '…'), optionally resourceGroupName eq '…'. */
export function parseActivityFilter(filter: string | null, now: number): { from: number; to: number; resourceGroup?: string } | { error: string } {
  if (!filter) return { error: 'The $filter query parameter is required and must contain eventTimestamp ge.' };
  const ge = /eventTimestamp ge '([^']+)'/i.exec(filter)?.[1];
  const le = /eventTimestamp le '([^']+)'/i.exec(filter)?.[1];
  const rg = /resourceGroupName eq '([^']+)'/i.exec(filter)?.[1];
  const from = ge ? Date.parse(ge) : NaN;
  const to = le ? Date.parse(le) : now;
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { error: "The $filter must contain a valid eventTimestamp ge '<ISO 8601 time>'." };
  if (to - from > 90 * 24 * 3600_000) return { error: 'The time range of the query is more than 90 days.' };
  return { from, to, resourceGroup: rg };
}

export function eventDataJson(sub: string, r: ActivityRecord) {
  const ticks = BigInt(r.at) * 10_000n + 621_355_968_000_000_000n;
  return {
    authorization: { action: r.operation, scope: r.resourceId },
    caller: r.caller,
    correlationId: r.id,
    description: '',
    eventDataId: r.id,
    eventName: { value: 'EndRequest', localizedValue: 'End request' },
    category: { value: 'Administrative', localizedValue: 'Administrative' },
    eventTimestamp: new Date(r.at).toISOString(),
    httpRequest: { method: r.method, clientRequestId: r.id },
    id: `${r.resourceId}/events/${r.id}/ticks/${ticks}`,
    level: r.status === 'Failed' ? 'Error' : 'Informational',
    operationId: r.id,
    operationName: { value: r.operation, localizedValue: r.operation },
    properties: { statusCode: String(r.httpStatus) },
    resourceGroupName: r.resourceGroup,
    resourceProviderName: { value: r.operation.split('/')[0], localizedValue: r.operation.split('/')[0] },
    resourceId: r.resourceId,
    resourceType: { value: r.operation.split('/').slice(0, -1).join('/'), localizedValue: r.operation.split('/').slice(0, -1).join('/') },
    status: { value: r.status, localizedValue: r.status },
    subStatus: { value: String(r.httpStatus), localizedValue: `HTTP Status Code: ${r.httpStatus}` },
    submissionTimestamp: new Date(r.at).toISOString(),
    subscriptionId: sub,
  };
}
