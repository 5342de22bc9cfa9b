import 'server-only';
import { scenarioSchema, type ScenarioDef } from '../../domain/scenario';
import clusterFailure from './cluster-failure';
import powerCycle from './power-cycle';
import spotEviction from './spot-eviction';
import zoneFailure from './zone-failure';

/**
 * The presenter's scenarios, one file each in this folder. To add one: write
 * its file (the schema in lib/domain/scenario.ts says what a step may run and
 * check) and list it here; the presenter page shows it, nothing else changes.
 * Each is validated when the module loads, so a bad file fails at start.
 */
const FILES = [zoneFailure, spotEviction, clusterFailure, powerCycle];

export const SCENARIOS: readonly ScenarioDef[] = FILES.map((f) => {
  const parsed = scenarioSchema.safeParse(f);
  if (!parsed.success) throw new Error(`Scenario "${f.id}" is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
});

export function scenarioById(id: string): ScenarioDef | undefined {
  return SCENARIOS.find((s) => s.id === id);
}
