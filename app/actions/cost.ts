'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/safe-action';
import { guardInput, refreshCostNow, setGuard } from '@/lib/cost';

export const saveBudgetGuard = defineAction({
  name: 'budget.guard.set',
  role: 'Admin',
  input: guardInput,
  target: () => 'budget-guard',
  run: ({ actor, input }) => setGuard(actor, input),
});

// Spends Cost Management quota (QPU per tenant), so not for Readers.
export const refreshCostData = defineAction({
  name: 'cost.refresh',
  role: 'Operator',
  input: z.object({}),
  target: () => 'cost-management',
  run: () => refreshCostNow(),
});
