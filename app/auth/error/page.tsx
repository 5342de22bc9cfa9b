const REASONS: Record<string, string> = {
  'no-role': 'Your account signed in, but it has no role in this app. Ask an owner of the app registration to assign you Reader, Operator or Admin.',
  state: 'The sign-in did not complete in the browser that started it. Start again.',
  expired: 'The sign-in took too long. Start again.',
  token: "The identity provider's answer could not be verified, so it was refused.",
  provider: 'The identity provider reported an error.',
  'provider-unreachable': 'The identity provider could not be reached. Check the network and the AUTH_* settings.',
};

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason = '' } = await searchParams;
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-rose-200 bg-white p-6">
      <h1 className="mb-2 text-lg font-semibold">Sign-in failed</h1>
      <p role="alert" className="text-sm text-slate-700">{REASONS[reason] ?? 'Sign-in failed.'}</p>
      <a href="/signin" className="mt-4 inline-block rounded bg-slate-900 px-3 py-1.5 text-sm text-white">Sign in again</a>
    </div>
  );
}
