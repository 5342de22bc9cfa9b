import type { Metadata } from 'next';
import Link from 'next/link';
import { getEnvironmentInfo } from '@/lib/topology/environment';
import './globals.css';

export const metadata: Metadata = {
  title: 'AKS Demo Control Plane',
  description: 'Run, show and control the three-cluster AKS demo environment.',
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  const env = getEnvironmentInfo();
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        {env.target === 'twin' && (
          <div role="status" aria-label="target" className="bg-amber-100 px-4 py-1.5 text-center text-sm text-amber-900">
            <strong>Built-in twin:</strong> a local simulator of Azure answers every call — nothing here touches a subscription or costs money.
          </div>
        )}
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              AKS Demo Control Plane
            </Link>
            <nav aria-label="main" className="flex gap-4 text-sm text-slate-600">
              <Link href="/" className="hover:text-slate-900">Overview</Link>
              <Link href="/audit" className="hover:text-slate-900">Audit</Link>
            </nav>
            <div className="ml-auto text-xs text-slate-500">
              {env.target === 'twin' ? 'target: twin' : `target: Azure · subscription ${env.subscriptionId}`} · {env.location}
            </div>
          </div>
        </header>
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
