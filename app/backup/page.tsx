import { BackupView } from '@/components/backup/backup-view';
import { LiveEvents } from '@/components/live-events';
import { getBackupPage } from '@/lib/backup';
import { whyNot } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { backUpClusterNow, restoreClusterAction } from '../actions/backup';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  const data = await getBackupPage();
  const realNow = Date.now();
  return (
    <>
      <LiveEvents topics={['backup']} />
      <BackupView data={data} realNow={realNow} deniedReason={whyNot(actor.role, 'backup.run')} actions={{ backUpNow: backUpClusterNow, restoreLatest: restoreClusterAction }} />
    </>
  );
});
