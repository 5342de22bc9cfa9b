export type {
  BackupModel,
  BudgetModel,
  ClusterModel,
  EnvironmentModel,
  FluxAuth,
  KarpenterNodePool,
  KyvernoPolicySet,
  NodePool,
  PoolMode,
  PowerSchedule,
  PowerStrategy,
  Priority,
  RuleResult,
  RuleStatus,
  TlsModel,
} from './model';
export { SPEC, zoneNumber } from './spec';
export { evaluateContract, evaluateRule, findRule, meshMinor, rules, type ContractRule } from './rules';
export { referenceEnvironment } from './fixtures';
