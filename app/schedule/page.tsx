import { Schedules } from '@/components/schedule/schedules';
import { LiveRefresh } from '@/components/live-refresh';
import { listSchedules } from '@/lib/schedule';
import { currentActor, whyNot } from '@/lib/auth';
import { deleteSchedule, enableSchedule, saveSchedule, skipNextRun } from '../actions/schedule';

export const dynamic = 'force-dynamic';

export default async function SchedulePage() {
  const [data, actor] = await Promise.all([listSchedules(), currentActor()]);
  return (
    <>
      <LiveRefresh intervalMs={5000} />
      <Schedules
        data={data}
        actions={{ save: saveSchedule, enable: enableSchedule, skip: skipNextRun, remove: deleteSchedule }}
        editDenied={whyNot(actor?.role, 'schedule.edit')}
        skipDenied={whyNot(actor?.role, 'schedule.skip')}
      />
    </>
  );
}
