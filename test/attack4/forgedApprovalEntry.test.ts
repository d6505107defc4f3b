import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalStatementText } from '../../src/core/approval/approvalStatement';
import { hashCustodyEntry } from '../../src/core/custody/custodyLog';
import { readStationPublicKey } from '../../src/core/keys/stationKey';
import type { CaseVersionRow } from '../../src/core/seal/caseVersionsRepo';
import { importedItem } from '../engine/harness';
import { tamper } from '../engine/tamper';
import {
  makeEvidenceFile,
  openSyncStation,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from '../sync/syncFixtures';

/**
 * Red team 2 (issue 9): `approvalOnRecord.ts` asks the custody log whether an approval happened.
 * Someone holding the database file (not the station key, which is encrypted) writes the log's
 * answer too: a `case.approve` entry appended at the chain's end with its hash and link
 * recomputed, and the head file moved to it. No signed checkpoint covers an entry past the last
 * one, so the chain, the head file and the checkpoints all agree. The approval statement is
 * exactly what the station would sign, but its signature is not the station key's: only the
 * key can tell this approval from a real one, so the version must not leave the station, and
 * `check` must say why.
 */

let server: CentralServer;
let station: SyncStation;
let forged: { caseId: string; number: string };

beforeAll(async () => {
  server = await startCentralServer();
  station = await openSyncStation();
  const file = await makeEvidenceFile(join(station.root, 'src'), 'forged.bin', 20_000);
  const record = await station.importAndWait([file], { includeNonMedia: true });
  const c = await station.call('cases.create', { title: 'Never reviewed', place: '南京东路' });
  await station.call('cases.addItems', { caseId: c.id, itemIds: [importedItem(record, 'forged.bin').id] });
  const sealed = await station.call('cases.seal', { caseId: c.id });
  forged = { caseId: c.id, number: sealed.case };
  await station.call('auth.signOut', {});
  await station.engine.close();
  const { fingerprint: keyFingerprint } = await readStationPublicKey(station.dataDir);

  tamper(station.dataDir, (db) => {
    const row = {
      ...(db.prepare('SELECT * FROM case_versions WHERE case_id = ?').get(c.id) as CaseVersionRow),
      number: sealed.case,
    };
    const stationId = (db.prepare('SELECT station FROM custody ORDER BY seq DESC LIMIT 1').get() as { station: string })
      .station;
    const approvedAt = '2026-12-03T15:00:00.000+08:00';
    const statement = approvalStatementText(row, {
      approvedBy: 'li',
      approvedAt,
      stationId,
      keyFingerprint,
    });
    const last = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    const entry = {
      seq: last.seq + 1,
      prev: last.hash,
      at: approvedAt,
      actor: 'li',
      station: stationId,
      action: 'case.approve',
      subject: c.id,
      sha256: null,
      details: {
        number: row.number,
        version: row.version,
        tagManifestSha256: row.tag_manifest_sha256,
        approvalSha256: createHash('sha256').update(statement, 'utf8').digest('hex'),
      },
    };
    const hash = hashCustodyEntry(entry);
    db.prepare(
      `INSERT INTO custody (seq, at, actor, station, action, subject, sha256, details, prev, hash)
       VALUES (@seq, @at, @actor, @station, @action, @subject, @sha256, @details, @prev, @hash)`,
    ).run({ ...entry, details: JSON.stringify(entry.details), hash });
    db.prepare(
      `UPDATE case_versions SET state = 'approved', approved_by = 'li', approved_at = @at, approval_seq = @seq,
         approval_statement = @statement, approval_signature = @signature WHERE case_id = @caseId AND version = 1`,
    ).run({
      at: approvedAt,
      seq: entry.seq,
      statement,
      signature: Buffer.alloc(64, 7).toString('base64'),
      caseId: c.id,
    });
    writeFileSync(join(station.dataDir, 'custody-head.json'), `${JSON.stringify({ seq: entry.seq, hash })}\n`);
  });
  await station.reopen();
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

describe('a case.approve entry forged into the custody log with its chain recomputed', () => {
  it('is listed by check as an approval the station key did not sign', async () => {
    const report = await station.call('station.check', { rehash: false });
    const approval = report.problems.filter(
      (p) => p.kind === 'approval' && p.detail.startsWith(`${forged.number} v1:`),
    );
    expect(approval.map((p) => p.detail).join('\n')).toBe(
      `${forged.number} v1: the approval statement is not signed by the station key`,
    );
  });

  it('never leaves the station', async () => {
    await station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
    await station.call('sync.now', { wait: true });
    const status = await station.call('sync.status', {});
    expect(status.versions.filter((v) => v.caseNumber === forged.number)).toEqual([]);
    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM sync_outbox WHERE case_id = ?').get(forged.caseId)).toEqual({
        n: 0,
      });
    } finally {
      db.close();
    }
  });
});
