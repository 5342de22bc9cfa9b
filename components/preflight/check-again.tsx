'use client';

import { ActionButton, type ServerAction } from '../ui/action';

/** Reads the region's quotas and versions again now (Operators; the action checks the role itself). */
export function CheckAgain({ run }: { run: ServerAction<Record<string, never>> }) {
  return <ActionButton label="Check again" busyLabel="Checking…" action={run} input={{}} tone="neutral" layout="inline" />;
}
