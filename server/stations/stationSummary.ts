import { z } from 'zod';
import type { Station } from './stationsRepo';

/** A station as `station list` prints it and `/admin/stations` answers it. */
export const StationSummary = z.object({
  id: z.string(),
  name: z.string(),
  keyFingerprint: z.string(),
  enrolledAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type StationSummary = z.infer<typeof StationSummary>;

export function stationSummary(s: Station): StationSummary {
  return {
    id: s.id,
    name: s.name,
    keyFingerprint: s.keyFingerprint,
    enrolledAt: s.enrolledAt.toISOString(),
    revokedAt: s.revokedAt ? s.revokedAt.toISOString() : null,
  };
}
