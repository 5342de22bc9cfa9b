/**
 * Zone health and the zone-failure demo over the
 * Kubernetes API: the matrix clusters × zones (queries), cordon / restore and
 * twin scenarios (commands), Spot eviction through Azure (spot), the verify-clusters checklist, and the
 * live relay of Kubernetes watches to browsers (stream).
 */
import 'server-only';
export { getZoneHealth, getClusterZones, invalidateZones, type ClusterZonesTile, type ZoneHealthSnapshot } from './queries';
export { cordonZone, restoreZone, runScenario, cordonZoneInput, restoreZoneInput, scenarioInput, type ZoneCommandResult } from './commands';
export { evictSpotNode, evictSpotNodeInput, spotEvidence, type SpotEvictionResult } from './spot';
export { getVerifyChecklist, type VerifyTile } from './verify';
export { openZoneStream, zoneRelay, ZoneRelay } from './stream';
