export default function SignedOutPage() {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="mb-2 text-lg font-semibold">Signed out</h1>
      <p className="text-sm text-slate-700">Your session has ended on the server.</p>
      <a href="/signin" className="mt-4 inline-block rounded bg-slate-900 px-3 py-1.5 text-sm text-white">Sign in</a>
    </div>
  );
}
