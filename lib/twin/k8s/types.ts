/**
 * The Kubernetes objects the twin keeps, in the shapes the API server serves
 * (only the fields this model reads or writes are typed; the rest travels as
 * plain JSON). The twin has its own types: it must not lean on the client
 * library it is meant to test.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
  generateName?: string;
}

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [extra: string]: unknown;
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: Taint['effect'];
  tolerationSeconds?: number;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
}

export interface NodeSelectorTerm {
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { labelSelector: LabelSelector; topologyKey: string }[];
  };
}

export interface Container {
  name: string;
  image: string;
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
}

export interface PodSpec {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  topologySpreadConstraints?: TopologySpreadConstraint[];
  priorityClassName?: string;
  containers: Container[];
  serviceAccountName?: string;
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  schedulerName?: string;
}

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface Pod extends K8sObject {
  kind: 'Pod';
  spec: PodSpec;
  status: {
    phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    conditions?: Condition[];
    hostIP?: string;
    podIP?: string;
    startTime?: string;
    qosClass?: string;
    reason?: string;
    message?: string;
    containerStatuses?: {
      name: string;
      ready: boolean;
      started?: boolean;
      restartCount: number;
      image: string;
      imageID: string;
      state: Record<string, unknown>;
    }[];
  };
}

export interface Node extends K8sObject {
  kind: 'Node';
  spec: { providerID: string; unschedulable?: boolean; taints?: Taint[]; podCIDR?: string };
  status: {
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
    conditions: Condition[];
    addresses: { type: string; address: string }[];
    nodeInfo: Record<string, string>;
  };
}

export interface Workload extends K8sObject {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplate;
    serviceName?: string;
    strategy?: unknown;
    podManagementPolicy?: string;
  };
  status: Record<string, unknown>;
}

export interface PodDisruptionBudget extends K8sObject {
  kind: 'PodDisruptionBudget';
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector: LabelSelector };
  status: {
    currentHealthy: number;
    desiredHealthy: number;
    disruptionsAllowed: number;
    expectedPods: number;
    observedGeneration?: number;
    conditions?: Condition[];
  };
}

export interface NodePoolRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** Karpenter `karpenter.sh/v1` NodePool (nodeClassRef required). */
export interface NodePool extends K8sObject {
  kind: 'NodePool';
  spec: {
    template: {
      metadata?: { labels?: Record<string, string> };
      spec: {
        nodeClassRef: { group: string; kind: string; name: string };
        requirements: NodePoolRequirement[];
        taints?: Taint[];
        expireAfter?: string;
      };
    };
    limits?: { cpu?: string; memory?: string; nodes?: string };
    disruption: {
      consolidationPolicy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
      consolidateAfter: string;
      budgets?: { nodes: string; reasons?: string[]; schedule?: string; duration?: string }[];
    };
    weight?: number;
  };
  status: { resources?: Record<string, string>; conditions?: Condition[] };
}

export interface NodeClaim extends K8sObject {
  kind: 'NodeClaim';
  spec: Record<string, unknown>;
  status: { nodeName?: string; providerID?: string; conditions?: Condition[]; capacity?: Record<string, string> };
}

export interface K8sEvent extends K8sObject {
  kind: 'Event';
  involvedObject: { apiVersion?: string; kind: string; name: string; namespace?: string; uid?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  eventTime: null;
  count: number;
  reportingComponent: string;
  reportingInstance: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: unknown;
}

/** A Kubernetes API error; answered as a `Status` object. */
export class K8sError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; kind?: string; group?: string; causes?: { reason?: string; message?: string; field?: string }[] },
  ) {
    super(message);
  }

  toStatus() {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, details: this.details, code: this.code };
  }
}
