import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { TwinClock } from './clock';
import { seedEnvironment, type TwinCluster, type TwinNames, type TwinProfile, type TwinSeed, DEFAULT_NAMES } from './seed';

/** An error the twin answers with, in ARM's shape and with AKS's codes and messages. */
export class TwinError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TwinOperation {
  id: string;
  clusterKey: string;
  kind: 'stop' | 'start';
  startedAt: number;
  endsAt: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  error?: { code: string; message: string };
}

/** How long AKS takes, in twin milliseconds (AKS docs: start about 4 minutes, stop up to 10). */
export const DURATIONS = {
  start: 4 * 60_000,
  stop: 6 * 60_000,
};

/** Events other parts of the twin follow (cost accrual, Kubernetes nodes …). */
export interface TwinEvents {
  power: [{ clusterKey: string; power: 'Running' | 'Stopped'; at: number }];
  reset: [{ profile: TwinProfile }];
}

export class TwinState {
  private env!: TwinSeed;
  readonly events = new EventEmitter<TwinEvents>();
  readonly operations = new Map<string, TwinOperation>();
  profile!: TwinProfile;

  constructor(
    readonly clock: TwinClock,
    profile: TwinProfile,
    readonly names: TwinNames = DEFAULT_NAMES,
  ) {
    this.reset(profile);
  }

  reset(profile: TwinProfile): void {
    this.profile = profile;
    this.env = seedEnvironment(profile, this.names);
    this.operations.clear();
    this.events?.emit('reset', { profile });
  }

  /** Completes every operation whose time has come. Called before each read. */
  advance(): void {
    const now = this.clock.now();
    for (const op of this.operations.values()) {
      if (op.status !== 'InProgress' || op.endsAt > now) continue;
      const cluster = this.env.clusters.find((c) => c.key === op.clusterKey);
      op.status = 'Succeeded';
      if (cluster) {
        cluster.power = op.kind === 'stop' ? 'Stopped' : 'Running';
        cluster.provisioningState = 'Succeeded';
        this.events.emit('power', { clusterKey: cluster.key, power: cluster.power, at: op.endsAt });
      }
    }
  }

  get resourceGroups() {
    return this.env.resourceGroups;
  }

  get clusters(): TwinCluster[] {
    this.advance();
    return this.env.clusters;
  }

  findResourceGroup(name: string) {
    return this.env.resourceGroups.find((g) => g.name.toLowerCase() === name.toLowerCase());
  }

  findCluster(resourceGroup: string, name: string): TwinCluster {
    if (!this.findResourceGroup(resourceGroup)) {
      throw new TwinError(404, 'ResourceGroupNotFound', `Resource group '${resourceGroup}' could not be found.`);
    }
    const cluster = this.clusters.find(
      (c) => c.resourceGroup.toLowerCase() === resourceGroup.toLowerCase() && c.name.toLowerCase() === name.toLowerCase(),
    );
    if (!cluster) {
      throw new TwinError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    return cluster;
  }

  private pendingOperation(cluster: TwinCluster): TwinOperation | undefined {
    return [...this.operations.values()].find((o) => o.clusterKey === cluster.key && o.status === 'InProgress');
  }

  /** Starts a stop or start the way AKS does, or refuses it with AKS's error. */
  beginPowerOperation(cluster: TwinCluster, kind: 'stop' | 'start'): TwinOperation {
    this.advance();
    const verb = kind === 'stop' ? 'stopping' : 'starting';
    const pending = this.pendingOperation(cluster);
    if (pending) {
      const state = pending.kind === 'stop' ? 'Stopping' : 'Starting';
      throw new TwinError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed: Another operation (${state}) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details`,
      );
    }
    if (kind === 'stop' && cluster.nodeProvisioningMode === 'Auto') {
      // AKS start/stop docs: clusters that use node auto-provisioning cannot be stopped (E1).
      throw new TwinError(
        400,
        'OperationNotAllowed',
        `Unable to perform '${verb}' operation since the cluster enables .properties.nodeProvisioningProfile.mode 'Auto'`,
      );
    }
    if (kind === 'stop' && cluster.power === 'Stopped') {
      throw new TwinError(400, 'OperationNotAllowed', `Unable to perform '${verb}' operation since the cluster is already stopped.`);
    }
    if (kind === 'start' && cluster.power === 'Running') {
      throw new TwinError(400, 'OperationNotAllowed', `Unable to perform '${verb}' operation since the cluster is already running.`);
    }
    const now = this.clock.now();
    const op: TwinOperation = {
      id: randomUUID(),
      clusterKey: cluster.key,
      kind,
      startedAt: now,
      endsAt: now + DURATIONS[kind],
      status: 'InProgress',
    };
    cluster.provisioningState = kind === 'stop' ? 'Stopping' : 'Starting';
    this.operations.set(op.id, op);
    return op;
  }

  getOperation(id: string): TwinOperation {
    this.advance();
    const op = this.operations.get(id.toLowerCase());
    if (!op) throw new TwinError(404, 'NotFound', `Operation id '${id}' was not found.`);
    return op;
  }
}
