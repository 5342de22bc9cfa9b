import { AutomationSchedules, NewSchedule, ScheduleHeading, ScheduleList, SchedulePermissionNote, ScheduleRuns } from '@/components/schedule/schedules';
import { LiveEvents } from '@/components/live-events';
import { Section, started } from '@/components/ui/streamed';
import { automationConflicts, getAutomationSchedules, listAppSchedules } from '@/lib/schedule';
import { whyNot } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { deleteSchedule, enableSchedule, saveSchedule, skipNextRun } from '../actions/schedule';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  // The database and Azure Automation are read together; the dashboard's schedules do not wait for Azure.
  const app = started(listAppSchedules());
  const automation = started(getAutomationSchedules());
  const editDenied = whyNot(actor.role, 'schedule.edit');
  return (
    <>
      <LiveEvents topics={['schedules', 'power-runs']} />
      <div className="flex flex-col gap-6">
        <ScheduleHeading />
        <SchedulePermissionNote editDenied={editDenied} />
        <Section data={app} label="schedules">
          {(d) => (
            <ScheduleList
              data={d}
              actions={{ save: saveSchedule, enable: enableSchedule, skip: skipNextRun, remove: deleteSchedule }}
              editDenied={editDenied}
              skipDenied={whyNot(actor.role, 'schedule.skip')}
            />
          )}
        </Section>
        {/* The conflict warnings need both sides; a failing database read leaves the runbook schedules shown without them. */}
        <Section data={Promise.all([automation, app.catch(() => undefined)])} label="Azure Automation schedules">
          {([a, d]) => <AutomationSchedules automation={a} warnings={d ? automationConflicts(d, a) : []} />}
        </Section>
        <NewSchedule save={saveSchedule} editDenied={editDenied} />
        <Section data={app} label="run history">{(d) => <ScheduleRuns runs={d.runs} />}</Section>
      </div>
    </>
  );
});
