import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases';
import { migrate } from '../migrate';
import type { Sql } from '../sql';

const hex = (c: string): string => c.repeat(64);

async function addStation(sql: Sql, id: string): Promise<void> {
  await sql.query(
    `INSERT INTO stations (id, name, public_key_pem, key_fingerprint, enrolled_at) VALUES ($1, $1, 'pem', $2, now())`,
    [id, hex('a')],
  );
}

async function addBlob(sql: Sql, sha256: string): Promise<void> {
  await sql.query(`INSERT INTO blobs (sha256, size, stored_at) VALUES ($1, 10, now())`, [sha256]);
}

/** A verified commit with its receipt, as migration 2's server wrote them (the receipt names its files). */
async function addVerifiedCommit(
  sql: Sql,
  c: { seq: number; stationId: string; files: Array<{ path: string; sha256: string }>; at: string },
): Promise<void> {
  const json = JSON.stringify({
    type: 'evidence-station/receipt',
    version: 1,
    seq: c.seq,
    stationId: c.stationId,
    files: c.files.map((f) => ({ ...f, size: 10 })),
  });
  await sql.query(
    `INSERT INTO receipts (seq, prev_hash, sha256, json, signature, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [c.seq, hex('0'), hex(String(c.seq)), json, Buffer.alloc(64), c.at],
  );
  await sql.query(
    `INSERT INTO commits (idempotency_key, request_sha256, station_id, case_number, case_version,
       tag_manifest_sha256, verification, receipt_seq, created_at)
     VALUES ($1, $2, $3, 'ZF-1', $4, $2, 'verified', $4, $5)`,
    [`k-${c.seq}`, hex('b'), c.stationId, c.seq, c.at],
  );
}

describeEachDatabase('migration 3: blob possession', (dbs) => {
  it('backfills, per station, the blobs it finished uploading and the files its receipts name', async () => {
    const t = await dbs.fresh();
    const sql = await t.openRaw();
    expect(await migrate(sql, { target: 2 })).toBe(2);
    for (const id of ['st-a', 'st-b', 'st-c']) await addStation(sql, id);
    const [x, y, z, notHeld] = [hex('1'), hex('2'), hex('3'), hex('4')];
    for (const h of [x, y, z]) await addBlob(sql, h);
    // st-a uploaded x (its upload is still on record, finished); st-c's upload of z never finished.
    await sql.query(
      `INSERT INTO uploads (id, station_id, sha256, size, name, created_at, finished_at)
       VALUES ($1, 'st-a', $2, 10, 'data/x', '2026-11-01T10:00:00Z', '2026-11-01T10:05:00Z'),
              ($3, 'st-c', $4, 10, 'data/z', '2026-11-01T10:00:00Z', NULL)`,
      ['a'.repeat(32), x, 'c'.repeat(32), z],
    );
    // st-b committed x and y (x, uploaded by st-a, only named: the flaw migration 3 closes) and a
    // file whose blob is not held, twice under two paths; a refused commit of st-c names nothing.
    await addVerifiedCommit(sql, {
      seq: 1,
      stationId: 'st-b',
      files: [
        { path: 'data/x', sha256: x },
        { path: 'data/y', sha256: y },
        { path: 'data/y-again', sha256: y },
        { path: 'data/gone', sha256: notHeld },
      ],
      at: '2026-11-02T08:00:00Z',
    });
    await sql.query(
      `INSERT INTO commits (idempotency_key, request_sha256, station_id, case_number, case_version,
         tag_manifest_sha256, verification, receipt_seq, problems, created_at)
       VALUES ('k-refused', $1, 'st-c', 'ZF-2', 1, $1, 'refused', NULL, '["changed"]'::jsonb, now())`,
      [hex('c')],
    );

    expect(await migrate(sql, { target: 3 })).toBe(3);
    const rows = await sql.query<{ station_id: string; sha256: string; source: string; recorded_at: Date | string }>(
      'SELECT station_id, sha256, source, recorded_at FROM blob_possession ORDER BY station_id, sha256',
    );
    expect(rows.map((r) => ({ ...r, recorded_at: new Date(r.recorded_at).toISOString() }))).toEqual([
      { station_id: 'st-a', sha256: x, source: 'backfill-upload', recorded_at: '2026-11-01T10:05:00.000Z' },
      { station_id: 'st-b', sha256: x, source: 'backfill-receipt', recorded_at: '2026-11-02T08:00:00.000Z' },
      { station_id: 'st-b', sha256: y, source: 'backfill-receipt', recorded_at: '2026-11-02T08:00:00.000Z' },
    ]);

    // A row names an enrolled station and a held blob, once, with a known source.
    await expect(
      sql.query(`INSERT INTO blob_possession VALUES ('st-a', $1, 'upload', now())`, [notHeld]),
    ).rejects.toThrow();
    await expect(
      sql.query(`INSERT INTO blob_possession VALUES ('nobody', $1, 'upload', now())`, [y]),
    ).rejects.toThrow();
    await expect(sql.query(`INSERT INTO blob_possession VALUES ('st-a', $1, 'upload', now())`, [x])).rejects.toThrow();
    await expect(sql.query(`INSERT INTO blob_possession VALUES ('st-c', $1, 'guessed', now())`, [z])).rejects.toThrow();
  });

  it('backfills a receipt and a finished upload of the same blob by one station once, as the upload', async () => {
    const t = await dbs.fresh();
    const sql = await t.openRaw();
    await migrate(sql, { target: 2 });
    await addStation(sql, 'st-a');
    const x = hex('5');
    await addBlob(sql, x);
    await sql.query(
      `INSERT INTO uploads (id, station_id, sha256, size, name, created_at, finished_at)
       VALUES ($1, 'st-a', $2, 10, 'data/x', now(), now())`,
      ['b'.repeat(32), x],
    );
    await addVerifiedCommit(sql, {
      seq: 1,
      stationId: 'st-a',
      files: [{ path: 'data/x', sha256: x }],
      at: '2026-11-02T08:00:00Z',
    });
    await migrate(sql);
    expect(await sql.query('SELECT station_id, sha256, source FROM blob_possession')).toEqual([
      { station_id: 'st-a', sha256: x, source: 'backfill-upload' },
    ]);
  });
});
