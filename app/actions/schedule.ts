'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/safe-action';
import { deleteSchedule as remove, saveSchedule as save, scheduleInput, setScheduleEnabled, setSkipNext } from '@/lib/schedule';

export const saveSchedule = defineAction({
  name: 'schedule.save',
  role: 'Admin',
  input: scheduleInput,
  target: (i) => i.id ?? i.name,
  run: async ({ input }) => ({ id: (await save(input)).id }),
});

export const enableSchedule = defineAction({
  name: 'schedule.enable',
  role: 'Admin',
  input: z.object({ id: z.string().uuid(), enabled: z.boolean() }),
  target: (i) => i.id,
  run: async ({ input }) => ({ enabled: (await setScheduleEnabled(input.id, input.enabled)).enabled }),
});

export const skipNextRun = defineAction({
  name: 'schedule.skip-next',
  role: 'Operator',
  input: z.object({ id: z.string().uuid(), skip: z.boolean() }),
  target: (i) => i.id,
  run: async ({ input }) => ({ skipNext: (await setSkipNext(input.id, input.skip)).skipNext }),
});

export const deleteSchedule = defineAction({
  name: 'schedule.delete',
  role: 'Admin',
  input: z.object({ id: z.string().uuid() }),
  target: (i) => i.id,
  run: async ({ input }) => {
    await remove(input.id);
    return { deleted: true };
  },
});
