import type { TwinCluster, TwinNames } from '../seed';
import { POLICY_NAME, RETENTION, SCHEDULE, VAULT_NAME, type BackupJob, type DpOperation, type RecoveryPoint } from './vault';

/**
 * Microsoft.DataProtection bodies shaped as the 2026-06-01 examples in
 * lib/twin/fixtures/azure-examples/dataprotection (vault, policy, backup instance, job,
 * recovery point, operation status/result), for an AKS datasource.
 */

export interface Ids {
  sub: string;
  names: TwinNames;
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.000Z$/, 'Z');

export function vaultId({ sub, names }: Ids): string {
  return `/subscriptions/${sub}/resourceGroups/${names.commonResourceGroup}/providers/Microsoft.DataProtection/backupVaults/${VAULT_NAME}`;
}

export const instanceName = (key: string) => `bi-${key}`;
export const snapshotResourceGroup = 'rg-k8s-demo-backup-snapshots';

function clusterId(ids: Ids, c: TwinCluster): string {
  return `/subscriptions/${ids.sub}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

export function vaultJson(ids: Ids) {
  return {
    id: vaultId(ids),
    name: VAULT_NAME,
    type: 'Microsoft.DataProtection/backupVaults',
    location: ids.names.location,
    tags: { project: 'k8s-demo' },
    identity: { type: 'SystemAssigned', principalId: '5d2b7b3e-0000-4000-8000-0000000b4c70', tenantId: '7a1e0d3c-0000-4000-8000-00000000d3e0' },
    properties: {
      bcdrSecurityLevel: 'Fair',
      // The architecture applies no Cross-Region Restore.
      featureSettings: { crossRegionRestoreSettings: { state: 'Disabled' } },
      monitoringSettings: { azureMonitorAlertSettings: { alertsForAllJobFailures: 'Enabled' } },
      provisioningState: 'Succeeded',
      secureScore: 'Adequate',
      securitySettings: { softDeleteSettings: { retentionDurationInDays: 14, state: 'On' } },
      // Contract rule backup-wired: the redundancy is the vault tier's only (see "Where backups live" in docs/azure-differences.md).
      storageSettings: [{ type: 'ZoneRedundant', datastoreType: 'VaultStore' }],
    },
  };
}

export function policyJson(ids: Ids) {
  return {
    id: `${vaultId(ids)}/backupPolicies/${POLICY_NAME}`,
    name: POLICY_NAME,
    type: 'Microsoft.DataProtection/backupVaults/backupPolicies',
    properties: {
      datasourceTypes: ['Microsoft.ContainerService/managedClusters'],
      objectType: 'BackupPolicy',
      policyRules: [
        {
          name: 'BackupDaily',
          backupParameters: { backupType: 'Incremental', objectType: 'AzureBackupParams' },
          dataStore: { dataStoreType: 'OperationalStore', objectType: 'DataStoreInfoBase' },
          objectType: 'AzureBackupRule',
          trigger: {
            objectType: 'ScheduleBasedTriggerContext',
            schedule: { repeatingTimeIntervals: [SCHEDULE], timeZone: 'UTC' },
            taggingCriteria: [{ isDefault: true, tagInfo: { id: 'Default_', tagName: 'Default' }, taggingPriority: 99 }],
          },
        },
        {
          name: 'Default',
          isDefault: true,
          // azurerm configures the operational tier only (docs/azure-differences.md).
          lifecycles: [
            {
              deleteAfter: { duration: RETENTION, objectType: 'AbsoluteDeleteOption' },
              sourceDataStore: { dataStoreType: 'OperationalStore', objectType: 'DataStoreInfoBase' },
              targetDataStoreCopySettings: [],
            },
          ],
          objectType: 'AzureRetentionRule',
        },
      ],
    },
  };
}

export function instanceJson(ids: Ids, c: TwinCluster, protection: { status: string; error?: { code: string; message: string } }) {
  const datasource = {
    datasourceType: 'Microsoft.ContainerService/managedClusters',
    objectType: 'Datasource',
    resourceID: clusterId(ids, c),
    resourceLocation: c.location,
    resourceName: c.name,
    resourceType: 'Microsoft.ContainerService/managedclusters',
    resourceUri: clusterId(ids, c),
  };
  return {
    id: `${vaultId(ids)}/backupInstances/${instanceName(c.key)}`,
    name: instanceName(c.key),
    type: 'Microsoft.DataProtection/backupVaults/backupInstances',
    properties: {
      dataSourceInfo: datasource,
      dataSourceSetInfo: { ...datasource, objectType: 'DatasourceSet' },
      friendlyName: `${c.name}\\${instanceName(c.key)}`,
      objectType: 'BackupInstance',
      policyInfo: {
        policyId: `${vaultId(ids)}/backupPolicies/${POLICY_NAME}`,
        policyVersion: '1.0',
        policyParameters: {
          backupDatasourceParametersList: [
            {
              excludedNamespaces: [],
              excludedResourceTypes: [],
              includeClusterScopeResources: true,
              includedNamespaces: [],
              includedResourceTypes: [],
              labelSelectors: [],
              objectType: 'KubernetesClusterBackupDatasourceParameters',
              snapshotVolumes: true,
            },
          ],
          dataStoreParametersList: [
            {
              dataStoreType: 'OperationalStore',
              objectType: 'AzureOperationalStoreParameters',
              resourceGroupId: `/subscriptions/${ids.sub}/resourceGroups/${snapshotResourceGroup}`,
            },
          ],
        },
      },
      protectionStatus: protection.error
        ? { status: protection.status, errorDetails: { code: protection.error.code, message: protection.error.message } }
        : { status: protection.status },
      provisioningState: 'Provisioned',
    },
  };
}

/** hh:mm:ss(.fffffff) as in the examples' `duration`. */
function timeSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

export function jobJson(ids: Ids, job: BackupJob, cluster: TwinCluster, now: number) {
  const done = job.status !== 'Started';
  const extendedInfo: Record<string, unknown> = {
    additionalDetails: { PolicyRuleName: 'BackupDaily', RetentionTag: 'Default', TaskId: job.id },
    subTasks: [{ taskId: 1, taskName: job.operation === 'Backup' ? 'Trigger Backup' : 'Trigger Restore', taskStatus: job.status === 'Started' ? 'Started' : job.status }],
    ...(job.recoveryPointId ? { recoveryPointTime: iso(job.startTime) } : {}),
    ...(job.sourceRecoveryPointId ? { sourceRecoverPoint: { recoveryPointID: job.sourceRecoveryPointId } } : {}),
  };
  return {
    id: `${vaultId(ids)}/backupJobs/${job.id}`,
    name: job.id,
    type: 'Microsoft.DataProtection/backupVaults/backupJobs',
    properties: {
      activityID: job.id,
      backupInstanceFriendlyName: `${cluster.name}\\${instanceName(cluster.key)}`,
      backupInstanceId: `${vaultId(ids)}/backupInstances/${instanceName(cluster.key)}`,
      dataSourceId: clusterId(ids, cluster),
      dataSourceLocation: cluster.location,
      dataSourceName: cluster.name,
      dataSourceSetName: cluster.name,
      dataSourceType: 'Microsoft.ContainerService/managedClusters',
      duration: timeSpan((done ? job.endTime : now) - job.startTime),
      ...(done ? { endTime: iso(job.endTime) } : {}),
      ...(job.status === 'Failed' && job.failure
        ? { errorDetails: [{ code: job.failure.code, message: job.failure.message, isRetryable: job.failure.code !== 'UserErrorKubernetesClusterNotRunning' }] }
        : {}),
      extendedInfo,
      isUserTriggered: job.isUserTriggered,
      operation: job.operation === 'Backup' ? (job.isUserTriggered ? 'OnDemandBackup' : 'ScheduledBackup') : 'Restore',
      operationCategory: job.operation,
      policyId: `${vaultId(ids)}/backupPolicies/${POLICY_NAME}`,
      policyName: POLICY_NAME,
      progressEnabled: false,
      sourceResourceGroup: cluster.resourceGroup,
      sourceSubscriptionID: ids.sub,
      startTime: iso(job.startTime),
      status: job.status,
      subscriptionId: ids.sub,
      supportedActions: [''],
      vaultName: VAULT_NAME,
    },
  };
}

export function recoveryPointJson(ids: Ids, p: RecoveryPoint) {
  return {
    id: `${vaultId(ids)}/backupInstances/${instanceName(p.clusterKey)}/recoveryPoints/${p.id}`,
    name: p.id,
    type: 'Microsoft.DataProtection/backupVaults/backupInstances/recoveryPoints',
    properties: {
      expiryTime: iso(p.expiry),
      friendlyName: p.id,
      objectType: 'AzureBackupDiscreteRecoveryPoint',
      policyName: POLICY_NAME,
      recoveryPointDataStoresDetails: p.stores.map((type, i) => ({
        type,
        creationTime: iso(p.time),
        expiryTime: iso(p.expiry),
        id: `${p.id.slice(0, 24)}${String(i).padStart(8, '0')}`,
        metaData: '',
        state: 'COMMITTED',
        visible: true,
      })),
      recoveryPointState: 'Completed',
      recoveryPointTime: iso(p.time),
      recoveryPointType: 'Incremental',
      retentionTagName: 'Default',
    },
  };
}

export function operationStatusJson(ids: Ids, op: DpOperation, now: number) {
  const done = now >= op.endTime;
  return {
    id: `/subscriptions/${ids.sub}/providers/Microsoft.DataProtection/locations/${ids.names.location}/operationStatus/${op.id}`,
    name: op.id,
    startTime: iso(op.startTime),
    status: done ? 'Succeeded' : 'InProgress',
    ...(done ? { endTime: iso(op.endTime), properties: { jobId: op.jobId, objectType: 'OperationJobExtendedInfo' } } : {}),
  };
}
