'use server';

import { defineAction } from '@/lib/actions/safe-action';
import { backUpNow, backupInput, restoreInput, restoreLatest } from '@/lib/backup';

export const backUpClusterNow = defineAction({
  name: 'backup.run',
  role: 'Operator',
  input: backupInput,
  target: (i) => i.cluster,
  run: ({ actor, input }) => backUpNow(actor, input.cluster),
  resultOf: () => 'accepted',
});

export const restoreClusterAction = defineAction({
  name: 'backup.restore',
  role: 'Operator',
  input: restoreInput,
  target: (i) => i.cluster,
  run: ({ actor, input }) => restoreLatest(input, actor),
  resultOf: () => 'accepted',
});
