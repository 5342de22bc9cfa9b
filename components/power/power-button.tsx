'use client';

import { ActionButton, type ServerAction } from '../ui/action';

export type { ActionResult, ServerAction } from '../ui/action';

interface Props<I> {
  label: string;
  action: ServerAction<I>;
  input: I;
  /** When set, the button is unavailable and says why. */
  disabledReason?: string;
  confirm?: string;
  variant?: 'danger' | 'primary';
  /** How to summarise a successful result: `environment` lists each cluster's outcome. */
  summary?: 'environment';
  /** Cluster key → resource name, so a summary names clusters as every page does. */
  clusterNames?: Record<string, string>;
}

type EnvResult = { cluster: string; outcome: string; reason?: string }[];

/** Each cluster's outcome of an environment-wide power action, clusters named as every page names them. */
export function summariseEnvironment(data: unknown, names: Record<string, string> = {}): string {
  return (data as EnvResult).map((r) => `${names[r.cluster] ?? r.cluster}: ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`).join(' · ');
}

/** A power action on a card (stop, start, sleep, wake, power down, back up…): the action button, stacked. */
export function PowerButton<I>({ label, action, input, disabledReason, confirm, variant = 'primary', summary, clusterNames }: Props<I>) {
  return (
    <ActionButton
      label={label}
      action={action}
      input={input}
      disabledReason={disabledReason}
      confirm={confirm}
      tone={variant}
      describe={summary === 'environment' ? (data) => summariseEnvironment(data, clusterNames) : undefined}
    />
  );
}
