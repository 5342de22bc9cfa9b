import { BackupHeading, BackupPermissionNote, BackupView } from '@/components/backup/backup-view';
import { LiveEvents } from '@/components/live-events';
import { Section, started } from '@/components/ui/streamed';
import { getBackupPage } from '@/lib/backup';
import { getConfig } from '@/lib/config';
import { whyNot } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { backUpClusterNow, restoreClusterAction } from '../actions/backup';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async ({ actor }) => {
  // The page's one query (the vault, its contents and the clusters, read together) starts now; the heading goes out at once.
  const data = started(getBackupPage());
  const realNow = Date.now();
  const deniedReason = whyNot(actor.role, 'backup.run');
  const target = getConfig().target;
  return (
    <>
      <LiveEvents topics={['backup']} />
      <div className="flex flex-col gap-6">
        {/* The heading never fails: without an answer it just has no "as of" (the section below says why). */}
        <Section data={data.catch(() => undefined)} label="backup heading" fallback={<BackupHeading target={target} />}>
          {(d) => <BackupHeading target={target} asOf={d?.now} />}
        </Section>
        <BackupPermissionNote deniedReason={deniedReason} />
        <Section data={data} label="backups">
          {(d) => <BackupView data={d} realNow={realNow} deniedReason={deniedReason} actions={{ backUpNow: backUpClusterNow, restoreLatest: restoreClusterAction }} />}
        </Section>
      </div>
    </>
  );
});
