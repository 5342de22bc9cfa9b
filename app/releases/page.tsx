import { ReleasesView } from '@/components/releases/releases-view';
import { Section, started } from '@/components/ui/streamed';
import { definePage } from '@/lib/auth/page';
import { getReleases } from '@/lib/releases';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  // The heading goes out at once; the clusters' releases follow in their own section.
  const releases = started(getReleases());
  const now = Date.now();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Helm releases</h1>
        <p className="text-sm text-slate-600">
          What Helm has installed on each cluster (its release records, newest revision) against the chart versions
          infra/addons/lib/versions.sh pins for the install steps in that cluster&apos;s scope. Beside them, what AKS
          manages, as ARM reports it: the Istio add-on&apos;s revisions against the region&apos;s supported ones, the Key
          Vault CSI add-on, the cluster extensions and the Flux configurations infra/ declares.
        </p>
      </div>
      <Section data={releases} label="Helm releases">{(s) => <ReleasesView snapshot={s} now={now} />}</Section>
    </div>
  );
});
