import { PreflightHeading, PreflightView } from '@/components/preflight/preflight-view';
import { Section, started } from '@/components/ui/streamed';
import { roleAtLeast } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { getPreflight, parseSessionHours } from '@/lib/preflight';
import { checkPreflightAgain } from '../actions/preflight';

export const dynamic = 'force-dynamic';

export default definePage<{ searchParams: Promise<Record<string, string | string[] | undefined>> }>('Reader', async ({ actor, props }) => {
  const hours = (await props.searchParams).hours;
  const sessionHours = parseSessionHours(typeof hours === 'string' ? hours : undefined);
  // The region's quotas and versions, the clusters and the budget are read together (getPreflight); the heading goes out at once.
  const report = started(getPreflight(sessionHours));
  const realNow = Date.now();
  return (
    <div className="flex flex-col gap-4">
      <PreflightHeading sessionHours={sessionHours} canRefresh={roleAtLeast(actor.role, 'Operator')} refresh={checkPreflightAgain} />
      <Section data={report} label="pre-flight checks">{(r) => <PreflightView report={r} realNow={realNow} />}</Section>
    </div>
  );
});
