import { LiveEvents } from '@/components/live-events';
import { PresenterStage } from '@/components/presenter/presenter-stage';
import { definePage } from '@/lib/auth/page';
import { getPresenterView } from '@/lib/presenter';

export const dynamic = 'force-dynamic';

/** The audience's screen: follows the presenter's scenario and step live; no buttons, no notes. */
export default definePage('Reader', async () => {
  const view = await getPresenterView();
  return (
    <>
      <LiveEvents topics={['presenter']} />
      <PresenterStage view={view} mode="audience" canOperate={false} />
    </>
  );
});
