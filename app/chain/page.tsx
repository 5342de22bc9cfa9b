import { ChainView } from '@/components/chain/chain-view';
import { Section, started } from '@/components/ui/streamed';
import { definePage } from '@/lib/auth/page';
import { getChain } from '@/lib/chain';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  // The heading goes out at once; the clusters' chains follow in their own section.
  const chain = started(getChain());
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">GitOps and secret chain</h1>
        <p className="text-sm text-slate-600">
          From Git to the gateway, per cluster: Flux&apos;s source and Kustomization, the gateway certificate and its Secret,
          the push to Key Vault, the secret store, Reloader and the ingress gateway. The first broken link is marked; the
          links after it depend on it.
        </p>
      </div>
      <Section data={chain} label="chain">{(s) => <ChainView snapshot={s} />}</Section>
    </div>
  );
});
