import Link from 'next/link';
import { LiveEvents } from '@/components/live-events';
import { VerifyChecklist } from '@/components/zones/verify-checklist';
import { ZonesLive } from '@/components/zones/zones-live';
import { Section, started } from '@/components/ui/streamed';
import { getVerifyChecklist, getZoneHealth } from '@/lib/zones';
import { MonitorLive } from '@/components/monitor/monitor-live';
import { getConfig } from '@/lib/config';
import { getMonitorSnapshot } from '@/lib/monitor/stream';
import { definePage } from '@/lib/auth/page';
import { cordonZoneAction, evictSpotNodeAction, restoreZoneAction, runZoneScenario } from '../actions/zones';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  // The three reads start together; the heading goes out at once and each section follows its own read.
  const health = started(getZoneHealth());
  const verify = started(getVerifyChecklist());
  const monitor = started(getMonitorSnapshot());
  const now = Date.now();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Zone health</h1>
        <p className="text-sm text-slate-600">
          Clusters × Korea Central zones from each cluster&apos;s Kubernetes API: a zone can be lost while two system nodes and two ingress
          gateways keep serving (<Link href="/docs/environment#zones" className="underline">how the zones are used</Link>). Cordon a zone to rehearse it;
          clusters with node auto-provisioning also keep Karpenter out of that zone until it is restored.
        </p>
      </div>
      {/* The matrix is live through its own stream; the checklist re-renders when the clusters' nodes change. */}
      <LiveEvents topics={['kubernetes']} />
      <Section data={health} label="zone health">
        {(h) => <ZonesLive initial={h} twin={h.scenarios} actions={{ cordon: cordonZoneAction, restore: restoreZoneAction, evictSpot: evictSpotNodeAction, scenario: runZoneScenario }} />}
      </Section>
      <Section data={monitor} label="Azure Monitor">{(m) => <MonitorLive initial={m} layout="zones" zone={getConfig().timeZone} />}</Section>
      <Section data={verify} label="verify checklist">{(v) => <VerifyChecklist tiles={v} now={now} />}</Section>
    </div>
  );
});
