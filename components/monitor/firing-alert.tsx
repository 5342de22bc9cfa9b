import type { FiredAlert } from '@/lib/monitor';
import { formatAge } from '@/components/ui/age';

/** A firing alert in one line, as the alerts panel and a cluster's card both show it. */
export function FiringAlert({ alert, now }: { alert: FiredAlert; now: number }) {
  return (
    <>
      <strong>{alert.severity}</strong> {alert.rule} — {alert.description} (firing since {formatAge(now - Date.parse(alert.since))})
    </>
  );
}
