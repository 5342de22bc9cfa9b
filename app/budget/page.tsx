import { BudgetView } from '@/components/cost/budget-view';
import { LiveRefresh } from '@/components/live-refresh';
import { getBudgetPage } from '@/lib/cost';
import { definePage } from '@/lib/auth/page';
import { refreshCostData, saveBudgetGuard } from '../actions/cost';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  const data = await getBudgetPage();
  const loading = [data.actual.source, data.forecast.source].some((s) => s.refreshing || s.status === 'pending');
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const realNow = Date.now();
  return (
    <>
      <LiveRefresh intervalMs={loading ? 1500 : 5000} />
      <BudgetView data={data} realNow={realNow} actions={{ saveGuard: saveBudgetGuard, refresh: refreshCostData }} />
    </>
  );
});
