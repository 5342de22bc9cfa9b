import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { perState, requireApiVersion, send, type TwinContext, type TwinExtension, type TwinRequest } from '../server';
import { TwinError } from '../state';
import { budgetBody, CostBook, type StoredBudget } from './book';
import { DAY, HOUR, monthStartOf } from './ledger';
import type { Meter } from './meters';
import { forecast, query, type Scope } from './query';
import { retailPrices } from './retail';

/**
 * Cost Management (Query, Forecast) and Consumption budgets, answered from the
 * twin's own bill (ledger.ts), shaped as the examples in
 * lib/twin/fixtures/azure-examples/costmanagement and /consumption. Queries are metered
 * in QPU per tenant and refused with 429 and Cost Management's own headers.
 */

export { TWIN_BUDGET_NAME } from './book';

export function costExtension(): TwinExtension {
  const books = perState((ctx) => new CostBook(ctx));
  const book = (ctx: TwinContext) => {
    const b = books(ctx);
    b.reconcile();
    return b;
  };

  return {
    name: 'cost',
    // The Retail Prices API is public on Azure: no token.
    handlePublic: (ctx, req, res) => retailPrices(req, res, ctx.url),
    handle(ctx, req, res) {
      const path = req.url.pathname;
      const cm = /^(.*)\/providers\/microsoft\.costmanagement\/(query|forecast)$/i.exec(path);
      const budgets = /^(.*)\/providers\/microsoft\.consumption\/budgets(?:\/([^/]+))?$/i.exec(path);
      if (!cm && !budgets) return false;
      requireApiVersion(req.url);
      const b = book(ctx);
      const scope = parseScope(ctx, (cm ?? budgets)![1]);
      if (cm) {
        if (req.method !== 'POST') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
        const body = parseJson(req.body);
        if (cm[2].toLowerCase() === 'query') query(ctx, b, scope, body, res);
        else forecast(ctx, b, scope, body, res);
        return true;
      }
      budgetRoute(ctx, b, scope, budgets![2] ? decodeURIComponent(budgets![2]) : undefined, req, res);
      return true;
    },
    admin(ctx, req, res) {
      const route = `${req.method} ${req.url.pathname}`;
      const b = book(ctx);
      if (route === 'GET /_twin/cost/summary') {
        const now = ctx.clock.now();
        send(res, 200, {
          now: new Date(now).toISOString(),
          cutoff: new Date(b.cutoff).toISOString(),
          ratePerHour: b.ledger.rateNow(),
          monthToDate: b.ledger.total(monthStartOf(now), now),
          segments: b.ledger.segments.length,
          dataLatencyHours: b.dataLatencyHours,
          bastion: b.bastion,
        });
        return true;
      }
      if (route === 'POST /_twin/cost/config') {
        const v = z
          .object({ dataLatencyHours: z.number().min(0).max(48).optional(), bastion: z.boolean().optional() })
          .safeParse(req.body ? JSON.parse(req.body) : {});
        if (!v.success) {
          send(res, 400, { error: { code: 'BadRequest', message: v.error.message } });
          return true;
        }
        if (v.data.dataLatencyHours !== undefined) b.dataLatencyHours = v.data.dataLatencyHours;
        if (v.data.bastion !== undefined) {
          b.bastion = v.data.bastion;
          b.reconcile();
        }
        send(res, 200, { ok: true, dataLatencyHours: b.dataLatencyHours, bastion: b.bastion });
        return true;
      }
      if (route === 'POST /_twin/cost/qpu/reset') {
        b.qpu.reset();
        send(res, 200, { ok: true });
        return true;
      }
      return false;
    },
    reset(ctx) {
      // TwinState emits `reset`, which rebuilds the book; this only makes sure one exists.
      book(ctx);
    },
  };
}

function parseScope(ctx: TwinContext, raw: string): Scope {
  const parts = raw.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0]?.toLowerCase() !== 'subscriptions' || !parts[1] || (parts.length !== 2 && parts.length !== 4)) {
    throw new TwinError(400, 'BadRequest', `Scope '${raw}' is not supported by the twin (subscription or resource group only).`);
  }
  if (parts[1].toLowerCase() !== ctx.subscriptionId.toLowerCase()) {
    throw new TwinError(404, 'SubscriptionNotFound', `The subscription '${parts[1]}' could not be found.`);
  }
  if (parts.length === 4) {
    if (parts[2].toLowerCase() !== 'resourcegroups') throw new TwinError(400, 'BadRequest', `Scope '${raw}' is not supported by the twin.`);
    const rg = ctx.state.findResourceGroup(parts[3]);
    if (!rg) throw new TwinError(404, 'ResourceGroupNotFound', `Resource group '${parts[3]}' could not be found.`);
    return { path: `/subscriptions/${parts[1]}/resourceGroups/${rg.name}`, resourceGroup: rg.name };
  }
  return { path: `/subscriptions/${parts[1]}` };
}

function parseJson(body: string): unknown {
  try {
    return body ? JSON.parse(body) : undefined;
  } catch {
    throw new TwinError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
}

function budgetJson(ctx: TwinContext, b: CostBook, budget: StoredBudget) {
  const now = ctx.clock.now();
  const month = monthStartOf(now);
  const rg = /\/resourceGroups\/([^/]+)$/i.exec(budget.scope)?.[1];
  const inScope = (m: Meter) => !rg || m.resourceGroup.toLowerCase() === rg.toLowerCase();
  const actual = b.ledger.total(month, Math.max(month, b.cutoff), inScope);
  const nextMonth = monthStartOf(month + 32 * DAY);
  const forecastSpend = actual + b.ledger.rateNow(inScope) * ((nextMonth - Math.max(month, b.cutoff)) / HOUR);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    id: `${budget.scope.replace(/^\//, '')}/providers/Microsoft.Consumption/budgets/${budget.name}`,
    name: budget.name,
    type: 'Microsoft.Consumption/budgets',
    eTag: budget.eTag,
    properties: {
      ...budget.properties,
      currentSpend: { amount: round(actual), unit: 'USD' },
      forecastSpend: { amount: round(forecastSpend), unit: 'USD' },
    },
  };
}

function budgetRoute(ctx: TwinContext, b: CostBook, scope: Scope, name: string | undefined, req: TwinRequest, res: ServerResponse): void {
  const prefix = `${scope.path.toLowerCase()}|`;
  if (!name) {
    if (req.method !== 'GET') throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
    const value = [...b.budgets.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => budgetJson(ctx, b, v));
    return send(res, 200, { value });
  }
  const key = `${prefix}${name}`;
  const existing = b.budgets.get(key);
  if (req.method === 'GET') {
    if (!existing) throw new TwinError(404, 'NotFound', `Budget '${name}' was not found.`);
    return send(res, 200, budgetJson(ctx, b, existing));
  }
  if (req.method === 'DELETE') {
    b.budgets.delete(key);
    return send(res, existing ? 200 : 204, undefined);
  }
  if (req.method === 'PUT') {
    const parsed = budgetBody.safeParse(parseJson(req.body));
    if (!parsed.success) throw new TwinError(400, 'BadRequest', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (existing && parsed.data.eTag && parsed.data.eTag !== existing.eTag) {
      throw new TwinError(412, 'PreconditionFailed', 'The eTag does not match the current budget; read it again before updating.');
    }
    const stored: StoredBudget = { name, scope: scope.path, eTag: `"${ctx.clock.now().toString(16)}"`, properties: parsed.data.properties };
    b.budgets.set(key, stored);
    return send(res, existing ? 200 : 201, budgetJson(ctx, b, stored));
  }
  throw new TwinError(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
}
