export type {
  BackupModel,
  BudgetModel,
  BuildModel,
  ClusterModel,
  ClusterSource,
  ClusterVerdict,
  EnvironmentModel,
  EnvironmentSource,
  Evidence,
  FluxAuth,
  KarpenterNodePool,
  KyvernoPolicySet,
  ModelEvidence,
  NodePool,
  ObservabilityModel,
  PoolMode,
  PowerSchedule,
  PowerStrategy,
  Priority,
  RuleResult,
  RuleStatus,
  SpotWorkload,
  TlsModel,
  Verdict,
} from './model';
export { SPEC, zoneNumber } from './spec';
export { evaluateContract, evaluateRule, findRule, meshMinor, rules, type ContractRule, type Gap } from './rules';
export { referenceEnvironment } from './fixtures';
export { reloaderAnnotated, runsOnSpot, spotWorkloadsOf, type PdbShape, type WorkloadShape } from './workloads';
export { secretReadVerdict, type BindingShape, type RbacObjects, type RoleShape, type SecretReadVerdict } from './secret-read';
export { durationHours, karpenterNodePool, kyvernoSet, policyAction } from './objects';
