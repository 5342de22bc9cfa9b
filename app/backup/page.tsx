import { BackupView } from '@/components/backup/backup-view';
import { LiveRefresh } from '@/components/live-refresh';
import { getBackupPage } from '@/lib/backup';
import { whyNot } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { backUpClusterNow } from '../actions/backup';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  const data = await getBackupPage();
  const busy = data.clusters.some((c) => (c.pending && !c.pending.settledAt) || c.jobs.value?.some((j) => j.state === 'running'));
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const realNow = Date.now();
  return (
    <>
      <LiveRefresh intervalMs={busy ? 1000 : 5000} />
      <BackupView data={data} realNow={realNow} deniedReason={whyNot(actor.role, 'backup.run')} actions={{ backUpNow: backUpClusterNow }} />
    </>
  );
});
