import { PreflightView } from '@/components/preflight/preflight-view';
import { roleAtLeast } from '@/lib/auth';
import { definePage } from '@/lib/auth/page';
import { getPreflight, parseSessionHours } from '@/lib/preflight';
import { checkPreflightAgain } from '../actions/preflight';

export const dynamic = 'force-dynamic';

export default definePage<{ searchParams: Promise<Record<string, string | string[] | undefined>> }>('Reader', async ({ actor, props }) => {
  const hours = (await props.searchParams).hours;
  const report = await getPreflight(parseSessionHours(typeof hours === 'string' ? hours : undefined));
  const realNow = Date.now();
  return <PreflightView report={report} realNow={realNow} canRefresh={roleAtLeast(actor.role, 'Operator')} refresh={checkPreflightAgain} />;
});
