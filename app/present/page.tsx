import Link from 'next/link';
import { LiveEvents } from '@/components/live-events';
import { ContractPanel } from '@/components/conformance/contract-view';
import { PresenterStage } from '@/components/presenter/presenter-stage';
import { Section, started } from '@/components/ui/streamed';
import { RunList } from '@/components/presenter/run-list';
import { listShareLinks, whyNot } from '@/lib/auth';
import { ShareLinks } from '@/components/presenter/share-links';
import { When } from '@/components/ui/when';
import { definePage } from '@/lib/auth/page';
import { MonitorLive } from '@/components/monitor/monitor-live';
import { getConfig } from '@/lib/config';
import { getContractSummary } from '@/lib/conformance';
import { getReleases } from '@/lib/releases';
import { getChain } from '@/lib/chain';
import { chainIssues, releaseIssues } from '@/lib/domain/readiness';
import { ReadinessPanel } from '@/components/conformance/readiness-panel';
import { getMonitorSnapshot } from '@/lib/monitor/stream';
import { getPresenterView } from '@/lib/presenter';
import { abandonScenarioAction, revokeShareAction, runStepAction, shareAudienceAction, startScenarioAction, toggleStopwatchAction, wayBackAction } from '../actions/presenter';

export const dynamic = 'force-dynamic';

/** The presenter's page: Operators run scenarios, Readers watch the same stage without its buttons. */
export default definePage('Reader', async ({ actor }) => {
  // The contract, the releases and the chain stream in after the stage: their reads never hold the presenter's page back.
  const contract = started(getContractSummary());
  const releases = started(getReleases());
  const chain = started(getChain());
  const [view, links, monitor] = await Promise.all([getPresenterView(), listShareLinks(), getMonitorSnapshot()]);
  const denied = whyNot(actor.role, 'scenarios.run');
  return (
    <div className="space-y-6">
      <LiveEvents topics={['presenter']} />
      <PresenterStage
        view={view}
        mode="presenter"
        monitor={<MonitorLive initial={monitor} layout="presenter" zone={getConfig().timeZone} />}
        canOperate={!denied}
        whyNot={denied}
        actions={{ start: startScenarioAction, step: runStepAction, stopwatch: toggleStopwatchAction, abandon: abandonScenarioAction, wayBack: wayBackAction }}
      />
      <div className="grid gap-3 lg:grid-cols-3">
        <Section data={contract} label="contract">{(s) => <ContractPanel summary={s} />}</Section>
        <Section data={releases} label="releases">
          {(r) => <ReadinessPanel title="Releases and add-ons" href="/releases" items={releaseIssues(r.clusters)} allGood="Every release, add-on and extension as infra/ expects." />}
        </Section>
        <Section data={chain} label="chain">
          {(c) => <ReadinessPanel title="GitOps and secret chain" href="/chain" items={chainIssues(c.clusters)} allGood="Every link ok on every cluster." />}
        </Section>
      </div>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Rehearsals and live runs</h2>
        <p className="text-sm text-slate-600">
          The audience screen follows this page live, without buttons or notes: <Link className="underline" href="/present/audience">open it on the projector</Link> (any signed-in Reader), or share a link with people who have no account here. Scenarios are data, one file
          each: <Link className="underline" href="/docs/scenarios">how to write one</Link>.
        </p>
        <ShareLinks
          links={links.map((l) => ({ id: l.id, createdBy: l.createdBy, expires: <When at={l.expiresAt} /> }))}
          canOperate={!denied}
          whyNot={denied}
          actions={{ share: shareAudienceAction, revoke: revokeShareAction }}
        />
        <RunList runs={view.runs} />
      </section>
    </div>
  );
});
