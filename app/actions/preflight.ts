'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/safe-action';
import { invalidatePreflight } from '@/lib/preflight';

// Asks Azure again (quotas, versions, revisions): it spends ARM read quota, so not for Readers.
export const checkPreflightAgain = defineAction({
  name: 'preflight.refresh',
  role: 'Operator',
  input: z.object({}),
  target: () => 'preflight',
  run: async () => {
    invalidatePreflight();
    return { invalidated: true };
  },
});
