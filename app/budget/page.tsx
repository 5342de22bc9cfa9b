import { BudgetHeading, BudgetView } from '@/components/cost/budget-view';
import { LiveEvents } from '@/components/live-events';
import { Section, started } from '@/components/ui/streamed';
import { getBudgetPage } from '@/lib/cost';
import { getConfig } from '@/lib/config';
import { definePage } from '@/lib/auth/page';
import { refreshCostData, saveBudgetGuard } from '../actions/cost';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  // The page's one query (stored Cost Management answers, the topology, the guard, read together) starts now.
  const data = started(getBudgetPage());
  const realNow = Date.now();
  const cfg = getConfig();
  const actions = { saveGuard: saveBudgetGuard, refresh: refreshCostData };
  return (
    <>
      <LiveEvents topics={['cost', 'alerts']} />
      <div className="flex flex-col gap-6">
        <BudgetHeading budgetAmount={cfg.cost.budgetAmount} target={cfg.target} refresh={actions.refresh} />
        <Section data={data} label="budget">{(d) => <BudgetView data={d} realNow={realNow} actions={actions} />}</Section>
      </div>
    </>
  );
});
