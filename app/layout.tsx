import type { Metadata } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getEnvironmentInfo } from '@/lib/topology/environment';
import { currentActor } from '@/lib/auth';
import './globals.css';

export const metadata: Metadata = {
  title: 'AKS Demo Control Plane',
  description: 'Run, show and control the three-cluster AKS demo environment.',
  icons: { icon: { url: '/icon.svg', type: 'image/svg+xml' } },
  manifest: '/manifest.webmanifest',
};

/** Pages anyone may see: the end of the sign-in flow, and the audience screen of a share link (which checks the link itself). */
const PUBLIC_PREFIXES = ['/auth/', '/watch/'];

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const env = getEnvironmentInfo();
  const onTwin = env.target === 'twin';
  const path = (await headers()).get('x-pathname') ?? '/';
  const actor = await currentActor();
  // Reader and up see every page; each action and route still checks for itself.
  if (!actor && !PUBLIC_PREFIXES.some((p) => path.startsWith(p))) redirect(`/signin?returnTo=${encodeURIComponent(path)}`);
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {env.twinUrl && (
          <div role="status" aria-label="target" className="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-900">
            {onTwin ? (
              <>
                <strong>Built-in twin:</strong> a local simulator of Azure answers every call — nothing here touches a subscription or costs money.
              </>
            ) : (
              <>
                <strong>Built-in twin, azure settings:</strong> the azure target&apos;s code and credentials, with ARM and Entra ID pointed at
                the twin ({env.twinUrl}) — nothing here touches a subscription or costs money.
              </>
            )}
          </div>
        )}
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              AKS Demo Control Plane
            </Link>
            {actor && (
            <nav aria-label="main" className="flex gap-4 text-sm text-slate-600">
              <Link href="/" className="hover:text-slate-900">Overview</Link>
              <Link href="/zones" className="hover:text-slate-900">Zones</Link>
              <Link href="/present" className="hover:text-slate-900">Present</Link>
              <Link href="/monitor" className="hover:text-slate-900">Monitor</Link>
              <Link href="/schedule" className="hover:text-slate-900">Schedule</Link>
              <Link href="/budget" className="hover:text-slate-900">Budget</Link>
              <Link href="/backup" className="hover:text-slate-900">Backup</Link>
              <Link href="/jobs" className="hover:text-slate-900">Jobs</Link>
              <Link href="/releases" className="hover:text-slate-900">Releases</Link>
              <Link href="/contract" className="hover:text-slate-900">Contract</Link>
              <Link href="/chain" className="hover:text-slate-900">Chain</Link>
              <Link href="/preflight" className="hover:text-slate-900">Pre-flight</Link>
              <Link href="/audit" className="hover:text-slate-900">Audit</Link>
              <Link href="/docs/environment" className="hover:text-slate-900">About</Link>
            </nav>
            )}
            {/* A share link's audience sees the stage only: no navigation, no subscription. */}
            {actor && (
              <div className="ml-auto text-xs text-slate-500">
                {onTwin ? 'target: twin' : `target: Azure · subscription ${env.subscriptionId}`} · {env.location}
              </div>
            )}
            {actor && (
              <div aria-label="signed in user" className="flex items-center gap-2 text-sm">
                <span>{actor.name}</span>
                <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{actor.role}</span>
                <form action="/signout" method="post">
                  <button type="submit" className="text-xs text-slate-500 underline hover:text-slate-900">Sign out</button>
                </form>
              </div>
            )}
          </div>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
