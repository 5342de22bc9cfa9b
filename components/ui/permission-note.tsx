import type { ReactNode } from 'react';

/** Says, before anyone clicks, what the viewer's role cannot do here and why; nothing when it can. */
export function PermissionNote({ deniedReason, children }: { deniedReason?: string; /** What is not available, ending where the reason follows. */ children: ReactNode }) {
  if (!deniedReason) return null;
  return (
    <p aria-label="your permissions" className="rounded bg-sky-50 px-3 py-2 text-sm text-sky-900">
      {children} {deniedReason}
    </p>
  );
}
