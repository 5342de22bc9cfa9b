import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { TwinClock } from './clock';
import { nodeResourceGroup, seedEnvironment, twinScale, type TwinCluster, type TwinNames, type TwinProfile, type TwinSeed, DEFAULT_NAMES } from './seed';

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
  /** scale: an agent pool PUT with a new count; update: a managed cluster PUT (SKU tier). */
  kind: 'stop' | 'start' | 'scale' | 'update';
  /** scale: the pool and its new count. update: the new tier. */
  pool?: string;
  count?: number;
  tier?: 'Standard' | 'Free';
  startedAt: number;
  endsAt: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  error?: { code: string; message: string };
}

/** How long AKS takes (AKS docs: start about 4 minutes, stop up to 10); the twin divides by its speed. */
export const DURATIONS = {
  start: 4 * 60_000,
  stop: 6 * 60_000,
  /** Agent pool scale: AKS answers at once and reconciles the VMSS in a few minutes. */
  scale: 3 * 60_000,
  /** SKU tier change (Free ↔ Standard): a control-plane update, no node is touched. */
  update: 2 * 60_000,
};

const PENDING_STATE: Record<TwinOperation['kind'], string> = { stop: 'Stopping', start: 'Starting', scale: 'Scaling', update: 'Updating' };

/** Events other parts of the twin follow (cost accrual, Kubernetes nodes …). */
export interface TwinEvents {
  power: [{ clusterKey: string; power: 'Running' | 'Stopped'; at: number }];
  reset: [{ profile: TwinProfile; scale: number }];
  /** A cluster created or removed by a simulated `tofu apply` / `tofu destroy`. */
  deployment: [{ clusterKey: string; present: boolean }];
  /** An install.sh step applied to a cluster by a simulated add-on install. */
  addons: [{ clusterKey: string; step: string }];
}

export class TwinState {
  private env!: TwinSeed;
  readonly events = new EventEmitter<TwinEvents>();
  readonly operations = new Map<string, TwinOperation>();
  profile!: TwinProfile;
  /** How many times the architecture's nodes and workloads the environment was seeded with (`twinScale`). */
  scale = 1;
  /** Resource groups and clusters torn down (simulated `tofu destroy`): ARM answers as if they never existed. */
  private readonly absentGroups = new Set<string>();
  private readonly absentClusters = new Set<string>();

  constructor(
    readonly clock: TwinClock,
    profile: TwinProfile,
    readonly names: TwinNames = DEFAULT_NAMES,
    scale = 1,
  ) {
    this.reset(profile, scale);
  }

  /** Seeds the environment afresh; the scale stays as it was unless one is given (a bad one throws and changes nothing). */
  reset(profile: TwinProfile, scale = this.scale): void {
    const env = seedEnvironment(profile, this.names, twinScale.parse(scale));
    this.profile = profile;
    this.scale = env.scale;
    this.env = env;
    this.operations.clear();
    this.absentGroups?.clear();
    this.absentClusters?.clear();
    this.events?.emit('reset', { profile, scale: this.scale });
  }

  /** Completes every operation whose time has come. Called before each read. */
  advance(): void {
    const now = this.clock.now();
    for (const op of this.operations.values()) {
      if (op.status !== 'InProgress' || op.endsAt > now) continue;
      const cluster = this.env.clusters.find((c) => c.key === op.clusterKey);
      op.status = 'Succeeded';
      if (cluster && op.kind === 'scale') {
        const pool = cluster.pools.find((p) => p.name === op.pool);
        if (pool) {
          pool.count = op.count ?? pool.count;
          pool.provisioningState = 'Succeeded';
        }
      } else if (cluster && op.kind === 'update') {
        cluster.tier = op.tier ?? cluster.tier;
        cluster.provisioningState = 'Succeeded';
      } else if (cluster) {
        cluster.power = op.kind === 'stop' ? 'Stopped' : 'Running';
        cluster.provisioningState = 'Succeeded';
        this.events.emit('power', { clusterKey: cluster.key, power: cluster.power, at: op.endsAt });
      }
    }
  }

  get resourceGroups() {
    return this.env.resourceGroups.filter((g) => !this.absentGroups.has(g.name.toLowerCase()));
  }

  get clusters(): TwinCluster[] {
    this.advance();
    return this.env.clusters.filter((c) => !this.absentClusters.has(c.key));
  }

  /** True when every resource group and cluster of the environment exists (not torn down). */
  get deployed(): boolean {
    return this.absentGroups.size === 0 && this.absentClusters.size === 0;
  }

  findResourceGroup(name: string) {
    return this.resourceGroups.find((g) => g.name.toLowerCase() === name.toLowerCase());
  }

  /** Simulated `tofu destroy` of a resource group; its clusters must be gone first, as ARM requires nothing of it. */
  removeResourceGroup(name: string): void {
    this.absentGroups.add(name.toLowerCase());
  }

  /** Simulated `tofu apply` of a resource group. */
  createResourceGroup(name: string): void {
    if (!this.env.resourceGroups.some((g) => g.name.toLowerCase() === name.toLowerCase())) {
      throw new TwinError(404, 'NotFound', `The twin's environment has no resource group '${name}'.`);
    }
    this.absentGroups.delete(name.toLowerCase());
  }

  /** Simulated `tofu destroy` of a cluster: it and its node resource group disappear from ARM. */
  removeCluster(key: TwinCluster['key']): void {
    const cluster = this.env.clusters.find((c) => c.key === key);
    if (!cluster || this.absentClusters.has(key)) return;
    for (const op of this.operations.values()) if (op.clusterKey === key) this.operations.delete(op.id);
    this.absentClusters.add(key);
    this.absentGroups.add(nodeResourceGroup(cluster.resourceGroup, cluster.name, cluster.location).toLowerCase());
    this.events.emit('deployment', { clusterKey: key, present: false });
  }

  /**
   * Simulated `tofu apply` of a cluster: created fresh from the seed (Running, pools at their
   * counts), with the AKS-managed add-ons only; install.sh's steps come later.
   */
  createCluster(key: TwinCluster['key']): TwinCluster {
    const index = this.env.clusters.findIndex((c) => c.key === key);
    const fresh = seedEnvironment(this.profile, this.names, this.scale).clusters.find((c) => c.key === key);
    if (index < 0 || !fresh) throw new TwinError(404, 'NotFound', `The twin's environment has no cluster '${key}'.`);
    if (!this.findResourceGroup(fresh.resourceGroup)) {
      throw new TwinError(404, 'ResourceGroupNotFound', `Resource group '${fresh.resourceGroup}' could not be found.`);
    }
    if (!this.absentClusters.has(key)) return this.env.clusters[index];
    fresh.installedSteps = [];
    this.env.clusters[index] = fresh;
    this.absentClusters.delete(key);
    this.absentGroups.delete(nodeResourceGroup(fresh.resourceGroup, fresh.name, fresh.location).toLowerCase());
    this.events.emit('deployment', { clusterKey: key, present: true });
    return fresh;
  }

  /** Records an install.sh step applied to a cluster (simulated add-on install). */
  installAddOnStep(key: TwinCluster['key'], step: string): void {
    const cluster = this.clusters.find((c) => c.key === key);
    if (!cluster) throw new TwinError(404, 'NotFound', `The cluster '${key}' is not deployed.`);
    if (cluster.installedSteps && !cluster.installedSteps.includes(step)) cluster.installedSteps.push(step);
    this.events.emit('addons', { clusterKey: key, step });
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
      const state = PENDING_STATE[pending.kind];
      throw new TwinError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed: Another operation (${state}) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details`,
      );
    }
    if (kind === 'stop' && cluster.nodeProvisioningMode === 'Auto') {
      // AKS start/stop docs: clusters that use node auto-provisioning cannot be stopped.
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
      endsAt: now + this.clock.duration(DURATIONS[kind]),
      status: 'InProgress',
    };
    cluster.provisioningState = kind === 'stop' ? 'Stopping' : 'Starting';
    this.operations.set(op.id, op);
    return op;
  }

  /**
   * An agent pool PUT with a new count (AKS: `az aks nodepool scale`): accepted at once, the
   * pool `Scaling` until the VMSS has the new count; the Kubernetes model then adds or removes
   * the nodes. AKS's rules: a System pool keeps at least one node, a stopped cluster cannot
   * scale, one operation at a time.
   */
  beginPoolScale(cluster: TwinCluster, poolName: string, count: number): TwinOperation {
    this.advance();
    const pool = cluster.pools.find((p) => p.name.toLowerCase() === poolName.toLowerCase());
    if (!pool) throw new TwinError(404, 'NotFound', `Could not find agent pool '${poolName}' in managed cluster '${cluster.name}'.`);
    this.refuseWhileBusy(cluster);
    if (cluster.power === 'Stopped') {
      throw new TwinError(400, 'OperationNotAllowed', `Unable to scale agent pool '${pool.name}' since the managed cluster is stopped. Start the cluster first.`);
    }
    if (!Number.isInteger(count) || count < 0 || count > 1000) {
      throw new TwinError(400, 'InvalidParameter', `The value of parameter agentPoolProfile.count is invalid. Please see https://aka.ms/aks-naming-rules for more details.`);
    }
    if (pool.mode === 'System' && count < 1) {
      throw new TwinError(400, 'InvalidParameter', `The value of parameter agentPoolProfile.count is invalid: a System mode agent pool '${pool.name}' requires a minimum count of 1.`);
    }
    if (pool.enableAutoScaling) {
      throw new TwinError(400, 'InvalidParameter', `Cannot change the node count of agent pool '${pool.name}' while the cluster autoscaler is enabled on it.`);
    }
    const now = this.clock.now();
    const op: TwinOperation = { id: randomUUID(), clusterKey: cluster.key, kind: 'scale', pool: pool.name, count, startedAt: now, endsAt: now + (count === pool.count ? 0 : this.clock.duration(DURATIONS.scale)), status: 'InProgress' };
    pool.provisioningState = 'Scaling';
    this.operations.set(op.id, op);
    return op;
  }

  /** A managed cluster PUT that changes the SKU tier (AKS: `az aks update --tier free|standard`). */
  beginTierChange(cluster: TwinCluster, tier: 'Standard' | 'Free'): TwinOperation {
    this.advance();
    this.refuseWhileBusy(cluster);
    if (cluster.power === 'Stopped' && tier !== cluster.tier) {
      throw new TwinError(400, 'OperationNotAllowed', `Unable to update the managed cluster '${cluster.name}' since it is stopped. Start the cluster first.`);
    }
    const now = this.clock.now();
    const op: TwinOperation = { id: randomUUID(), clusterKey: cluster.key, kind: 'update', tier, startedAt: now, endsAt: now + (tier === cluster.tier ? 0 : this.clock.duration(DURATIONS.update)), status: 'InProgress' };
    cluster.provisioningState = 'Updating';
    this.operations.set(op.id, op);
    return op;
  }

  private refuseWhileBusy(cluster: TwinCluster): void {
    const pending = this.pendingOperation(cluster);
    if (pending) {
      throw new TwinError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed: Another operation (${PENDING_STATE[pending.kind]}) is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details`,
      );
    }
  }

  getOperation(id: string): TwinOperation {
    this.advance();
    const op = this.operations.get(id.toLowerCase());
    if (!op) throw new TwinError(404, 'NotFound', `Operation id '${id}' was not found.`);
    return op;
  }
}
