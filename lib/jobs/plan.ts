/**
 * The summary of a saved plan, from `tofu show -json <planfile>` (the machine-readable plan
 * format): what apply will add, change and destroy. A replacement counts as one add and one
 * destroy, as tofu's own "Plan: N to add, M to change, K to destroy" line does.
 */
import 'server-only';
export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
  /** What changes (simulated plans also carry the twin resource id that apply creates). */
  resources: { address: string; actions: string[]; id?: string }[];
  /** True when the summary comes from the twin's simulated plan, not from tofu. */
  simulated?: boolean;
}

interface PlanJson {
  resource_changes?: { address: string; change?: { actions?: string[] } }[];
}

const MAX_LISTED = 500;

export function summarisePlan(json: string): PlanSummary {
  const plan = JSON.parse(json) as PlanJson;
  const summary: PlanSummary = { add: 0, change: 0, destroy: 0, resources: [] };
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change?.actions ?? [];
    if (actions.includes('create')) summary.add += 1;
    if (actions.includes('update')) summary.change += 1;
    if (actions.includes('delete')) summary.destroy += 1;
    if (actions.some((a) => a !== 'no-op' && a !== 'read') && summary.resources.length < MAX_LISTED) {
      summary.resources.push({ address: rc.address, actions });
    }
  }
  return summary;
}

export function planLine(s: PlanSummary): string {
  return `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy.`;
}
