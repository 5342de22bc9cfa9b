import { Schedules } from '@/components/schedule/schedules';
import { LiveEvents } from '@/components/live-events';
import { listSchedules } from '@/lib/schedule';
import { whyNot } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { deleteSchedule, enableSchedule, saveSchedule, skipNextRun } from '../actions/schedule';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  const data = await listSchedules();
  return (
    <>
      <LiveEvents topics={['schedules', 'power-runs']} />
      <Schedules
        data={data}
        actions={{ save: saveSchedule, enable: enableSchedule, skip: skipNextRun, remove: deleteSchedule }}
        editDenied={whyNot(actor.role, 'schedule.edit')}
        skipDenied={whyNot(actor.role, 'schedule.skip')}
      />
    </>
  );
});
