import { LiveEvents } from '@/components/live-events';
import { PresenterStage } from '@/components/presenter/presenter-stage';
import { defineSharedPage } from '@/lib/auth/page';
import { getPresenterView } from '@/lib/presenter';

export const dynamic = 'force-dynamic';

/** The audience screen through a share link: no sign-in, no buttons, nothing else of the dashboard. */
export default defineSharedPage(async ({ token }) => {
  const view = await getPresenterView();
  return (
    <>
      <LiveEvents topics={['presenter']} source={`/watch/${token}/events`} />
      <PresenterStage view={view} mode="audience" canOperate={false} zonesUrl={`/watch/${token}/zones`} />
    </>
  );
});
