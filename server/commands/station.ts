import { z } from 'zod';
import { askRunningServer } from '../admin/adminClient';
import { listStations, revokeStation, type RevokeOutcome } from '../stations/stationsRepo';
import { StationSummary, stationSummary } from '../stations/stationSummary';
import { message, ServerMessageError } from './messages';
import { withDatabase } from './withDatabase';

/** `station revoke ID --data DIR`: asks the running server, else changes the database itself. */
export async function stationRevoke(dataDir: string, stationId: string, env: NodeJS.ProcessEnv): Promise<void> {
  const asked = await askRunningServer(dataDir, 'POST', '/admin/station-revoke', { stationId });
  let outcome: RevokeOutcome;
  if (asked.reached) {
    const parsed = z.object({ outcome: z.enum(['revoked', 'alreadyRevoked', 'unknown']) }).safeParse(asked.body);
    if (asked.status !== 200 || !parsed.success) {
      throw new ServerMessageError('admin.failed', { reason: JSON.stringify(asked.body) });
    }
    outcome = parsed.data.outcome;
  } else {
    outcome = await withDatabase(dataDir, env, (sql) => revokeStation(sql, stationId, new Date()));
  }
  if (outcome === 'unknown') throw new ServerMessageError('station.unknown', { id: stationId });
  console.log(message(outcome === 'revoked' ? 'station.revoked' : 'station.alreadyRevoked', { id: stationId }, env));
}

/** `station list --data DIR [--json]`. */
export async function stationList(dataDir: string, json: boolean, env: NodeJS.ProcessEnv): Promise<void> {
  const asked = await askRunningServer(dataDir, 'GET', '/admin/stations');
  let stations: StationSummary[];
  if (asked.reached) {
    const parsed = z.array(StationSummary).safeParse(asked.body);
    if (asked.status !== 200 || !parsed.success) {
      throw new ServerMessageError('admin.failed', { reason: JSON.stringify(asked.body) });
    }
    stations = parsed.data;
  } else {
    stations = (await withDatabase(dataDir, env, listStations)).map(stationSummary);
  }
  if (json) {
    console.log(JSON.stringify(stations, null, 2));
    return;
  }
  if (stations.length === 0) {
    console.log(message('station.none', {}, env));
    return;
  }
  for (const s of stations) {
    const state = s.revokedAt
      ? message('station.revokedAt', { revokedAt: s.revokedAt }, env)
      : message('station.active', {}, env);
    console.log(
      message('station.line', { id: s.id, name: s.name, enrolledAt: s.enrolledAt, state, fingerprint: s.keyFingerprint }, env),
    );
  }
}
