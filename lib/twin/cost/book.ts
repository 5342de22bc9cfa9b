import { z } from 'zod';
import type { TwinContext } from '../server';
import type { TwinState } from '../state';
import { HOUR, Ledger, monthStartOf, seedHistory } from './ledger';
import { structureOf, type BilledStructure } from './meters';
import { QpuMeter } from './qpu';

export const TWIN_BUDGET_NAME = 'budget-k8s-demo-monthly';

export const budgetBody = z.object({
  eTag: z.string().optional(),
  properties: z.object({
    category: z.literal('Cost'),
    amount: z.number().positive(),
    timeGrain: z.enum(['Monthly', 'Quarterly', 'Annually', 'BillingMonth', 'BillingQuarter', 'BillingAnnual']),
    timePeriod: z.object({ startDate: z.string(), endDate: z.string().optional() }),
    filter: z.unknown().optional(),
    notifications: z
      .record(
        z.string(),
        z.object({
          enabled: z.boolean(),
          operator: z.enum(['EqualTo', 'GreaterThan', 'GreaterThanOrEqualTo']),
          threshold: z.number().positive(),
          thresholdType: z.enum(['Actual', 'Forecasted']).optional(),
          contactEmails: z.array(z.string()).optional(),
          contactGroups: z.array(z.string()).optional(),
          contactRoles: z.array(z.string()).optional(),
          locale: z.string().optional(),
        }),
      )
      .refine((n) => Object.keys(n).length <= 5, 'A budget has at most 5 notifications.')
      .optional(),
  }),
});

export interface StoredBudget {
  name: string;
  scope: string;
  eTag: string;
  properties: z.infer<typeof budgetBody>['properties'];
}

/** One twin's cost state: its bill, QPU meter, budgets and settings. */
export class CostBook {
  ledger!: Ledger;
  readonly qpu = new QpuMeter();
  budgets = new Map<string, StoredBudget>();
  /** Cost Management's data lags usage (hours on Azure); the twin's lags this many hours. */
  dataLatencyHours = 2;
  bastion = true;

  constructor(private readonly ctx: TwinContext) {
    ctx.state.events.on('power', (e) => this.onPower(e.clusterKey, e.power, e.at));
    ctx.state.events.on('reset', () => this.rebuild());
    this.rebuild();
  }

  private get state(): TwinState {
    return this.ctx.state;
  }

  rebuild(): void {
    const now = this.ctx.clock.now();
    this.ledger = new Ledger(this.ctx.subscriptionId, this.state.names.commonResourceGroup);
    const live = structureOf(this.state.clusters, this.state.names, this.bastion);
    const awake: BilledStructure = { ...live, clusters: live.clusters.map((c) => ({ ...c, running: true })) };
    const createdAt = seedHistory(this.ledger, now, awake);
    this.ledger.switchTo(createdAt, live);
    this.qpu.reset();
    this.budgets = new Map();
    const sub = `/subscriptions/${this.ctx.subscriptionId}`;
    // infra/modules/budget: $250 a month, 80 % and 100 % actual, 100 % forecast.
    const notification = (threshold: number, thresholdType: 'Actual' | 'Forecasted') => ({
      enabled: true, operator: 'GreaterThanOrEqualTo' as const, threshold, thresholdType, contactEmails: ['owner@example.com'], contactGroups: [], contactRoles: [],
    });
    this.budgets.set(`${sub.toLowerCase()}|${TWIN_BUDGET_NAME}`, {
      name: TWIN_BUDGET_NAME,
      scope: sub,
      eTag: `"${now.toString(16)}"`,
      properties: {
        category: 'Cost',
        amount: 250,
        timeGrain: 'Monthly',
        timePeriod: { startDate: new Date(monthStartOf(now)).toISOString().replace('.000Z', 'Z') },
        notifications: {
          Actual_GreaterThanOrEqualTo_80_Percent: notification(80, 'Actual'),
          Actual_GreaterThanOrEqualTo_100_Percent: notification(100, 'Actual'),
          Forecasted_GreaterThanOrEqualTo_100_Percent: notification(100, 'Forecasted'),
        },
      },
    });
  }

  /** Power events come from inside TwinState.advance: do not read `state.clusters` here. */
  private onPower(clusterKey: string, power: 'Running' | 'Stopped', at: number): void {
    const cur = this.ledger.current;
    if (!cur) return;
    const next: BilledStructure = {
      ...cur.structure,
      clusters: cur.structure.clusters.map((c) => (c.key === clusterKey ? { ...c, running: power === 'Running' } : c)),
    };
    this.ledger.switchTo(Math.min(at, this.ctx.clock.now()), next);
  }

  /** Catches changes no event announced (pool counts, tier): they bill from now. */
  reconcile(): void {
    const live = structureOf(this.state.clusters, this.state.names, this.bastion);
    this.ledger.switchTo(this.ctx.clock.now(), live);
  }

  get cutoff(): number {
    return this.ctx.clock.now() - this.dataLatencyHours * HOUR;
  }
}
