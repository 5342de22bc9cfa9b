import { ContractView } from '@/components/conformance/contract-view';
import { Section, started } from '@/components/ui/streamed';
import { definePage } from '@/lib/auth/page';
import { getContract } from '@/lib/conformance';

export const dynamic = 'force-dynamic';

export default definePage('Reader', async () => {
  // The heading goes out at once; the verdicts follow in their own section.
  const contract = started(getContract());
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Architecture contract</h1>
        <p className="text-sm text-slate-600">
          The architecture&apos;s rules on the running environment: pass, fail or cannot tell (a read that failed, or something only
          the code shows), per rule and per cluster, each with the reads it rests on. infra/contract checks the same rules on the code.
        </p>
      </div>
      <Section data={contract} label="contract">{(s) => <ContractView snapshot={s} />}</Section>
    </div>
  );
});
