import { DateTime } from 'luxon';
import { getConfig } from '@/lib/config';
import { LocalTime } from '@/components/schedule/local-time';

/**
 * A point in time as every page shows it: in the environment's stated zone (TIME_ZONE, the zone its
 * schedules run in), the zone named beside it, rendered on the server; with `local`, the viewer's own
 * time beside it, rendered in the browser. Relative ages ("3 min ago") are not points in time and stay
 * as they are.
 */
export function When({ at, local = false, seconds = false }: { at: number | Date; local?: boolean; seconds?: boolean }) {
  const ms = typeof at === 'number' ? at : at.getTime();
  const iso = new Date(ms).toISOString();
  return (
    <span className="whitespace-nowrap">
      <time dateTime={iso} data-zone={getConfig().timeZone}>
        {whenText(ms, { seconds })}
      </time>
      {local && (
        <>
          {' · '}
          <LocalTime iso={iso} />
        </>
      )}
    </span>
  );
}

/**
 * The same text as plain words, for where markup cannot go (a confirmation dialog's question): the
 * stated zone, named.
 */
export function whenText(at: number, { seconds = false }: { seconds?: boolean } = {}): string {
  const zone = getConfig().timeZone;
  return `${DateTime.fromMillis(at, { zone }).toFormat(seconds ? 'yyyy-LL-dd HH:mm:ss' : 'yyyy-LL-dd HH:mm')} ${zone}`;
}
