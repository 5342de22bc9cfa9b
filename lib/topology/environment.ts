import 'server-only';
import { getConfig } from '../config';

/** What the header shows about the target; no upstream call. */
export function getEnvironmentInfo() {
  const c = getConfig();
  return { target: c.target, subscriptionId: c.subscriptionId, location: c.location, twinUrl: c.twinUrl };
}
