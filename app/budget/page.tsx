import { BudgetView } from '@/components/cost/budget-view';
import { LiveEvents } from '@/components/live-events';
import { getBudgetPage } from '@/lib/cost';
import { definePage } from '@/lib/auth/page';
import { refreshCostData, saveBudgetGuard } from '../actions/cost';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  const data = await getBudgetPage();
  const realNow = Date.now();
  return (
    <>
      <LiveEvents topics={['cost', 'alerts']} />
      <BudgetView data={data} realNow={realNow} actions={{ saveGuard: saveBudgetGuard, refresh: refreshCostData }} />
    </>
  );
});
