import { LiveEvents } from '@/components/live-events';
import { PresenterStage } from '@/components/presenter/presenter-stage';
import { definePage } from '@/lib/auth/page';
import { MonitorLive } from '@/components/monitor/monitor-live';
import { getConfig } from '@/lib/config';
import { getMonitorSnapshot } from '@/lib/monitor/stream';
import { getPresenterView } from '@/lib/presenter';

export const dynamic = 'force-dynamic';

/** The audience's screen: follows the presenter's scenario and step live; no buttons, no notes. */
export default definePage('Reader', async () => {
  const [view, monitor] = await Promise.all([getPresenterView(), getMonitorSnapshot()]);
  return (
    <>
      <LiveEvents topics={['presenter']} />
      <PresenterStage view={view} mode="audience" canOperate={false} monitor={<MonitorLive initial={monitor} layout="presenter" zone={getConfig().timeZone} />} />
    </>
  );
});
