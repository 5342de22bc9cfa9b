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
  const zone = getConfig().timeZone;
  const iso = new Date(ms).toISOString();
  const text = DateTime.fromMillis(ms, { zone }).toFormat(seconds ? 'yyyy-LL-dd HH:mm:ss' : 'yyyy-LL-dd HH:mm');
  return (
    <span className="whitespace-nowrap">
      <time dateTime={iso} data-zone={zone}>
        {text} {zone}
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
