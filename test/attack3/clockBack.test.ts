import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEvent } from '../engine/harness';
import { tamper } from '../engine/tamper';
import {
  makeEvidenceFile,
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from '../sync/syncFixtures';

/**
 * Red team (issue 9): the station's clock was a year ahead when a sync attempt failed (a flat
 * CMOS battery, a wrong time zone set by hand) and has been put right since. The retry time the
 * outbox kept is a year away by the corrected clock; no backoff or daily window ever asks for
 * more than a day, so the background worker must not wait that year.
 */

let server: CentralServer;
let station: SyncStation;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

beforeAll(async () => {
  server = await startCentralServer();
  station = await openSyncStation({ sync: { background: false } });
  await station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

describe('a retry time left a year ahead by a clock put right since', () => {
  it('is retried by the background worker, not a year later', async () => {
    await server.stop();
    const file = await makeEvidenceFile(join(station.root, 'src'), 'clock.bin', 50_000);
    const c = await sealedApprovedCase(station, 'Clock put back', [file]);
    const waiting = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(waiting?.state).toBe('waiting');
    await station.engine.close();
    tamper(station.dataDir, (db) => {
      const r = db
        .prepare('UPDATE sync_outbox SET next_attempt_ms = ? WHERE case_id = ?')
        .run(Date.now() + YEAR_MS, c.caseId);
      expect(r.changes).toBe(1);
    });
    await server.start();
    await station.reopen({ sync: { background: true, timerMs: 200, backoff: { baseMs: 1, capMs: 2 } } });
    // Polling only decides when to look again; a worker that waits the year fails by the test's timeout.
    let state: string | undefined;
    for (;;) {
      const changed = nextEvent(station.engine, 'sync.changed', () => true);
      state = (await station.call('sync.status', {})).versions.find((v) => v.caseId === c.caseId)?.state;
      if (state === 'synced') break;
      await changed;
    }
    expect(state).toBe('synced');
  }, 60_000);
});
