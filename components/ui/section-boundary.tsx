'use client';

import { useRouter } from 'next/navigation';
import { Component, useTransition, type ReactNode } from 'react';

/** Asks the server for the page again; only the sections that changed are replaced. */
export function RetryButton({ label, onRetry }: { label: string; onRetry?: () => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      aria-label={`retry ${label}`}
      disabled={pending}
      onClick={() =>
        startTransition(() => {
          onRetry?.();
          router.refresh();
        })
      }
      className="ml-2 rounded border border-rose-300 bg-white px-2 py-0.5 text-xs text-rose-900 hover:bg-rose-100 disabled:opacity-50"
    >
      {pending ? 'Retrying…' : 'Retry'}
    </button>
  );
}

/**
 * Catches a section that fails while rendering (its reads' failures are shown by `Streamed`), so one broken
 * section does not take the page with it. In production React hides the server's message; the section still
 * says what could not be shown and offers a retry.
 */
export class SectionBoundary extends Component<{ label: string; children: ReactNode }, { message?: string }> {
  state: { message?: string } = {};

  static getDerivedStateFromError(error: unknown) {
    return { message: error instanceof Error && error.message ? error.message : 'it failed while being drawn' };
  }

  render() {
    if (this.state.message === undefined) return this.props.children;
    const { label } = this.props;
    return (
      <div role="alert" aria-label={`${label} failed`} className="rounded-lg border border-rose-200 bg-rose-50 p-4 text-sm text-rose-900">
        Could not show the {label}: {this.state.message}
        <RetryButton label={label} onRetry={() => this.setState({ message: undefined })} />
      </div>
    );
  }
}
