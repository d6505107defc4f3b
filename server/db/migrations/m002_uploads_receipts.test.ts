import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/databases';
import { migrate } from '../migrate';

describeEachDatabase('migration 2: uploads and receipts', (dbs) => {
  it('adds its tables over a version-1 database with stations in it, with the chain at its start', async () => {
    const t = await dbs.fresh();
    const sql = await t.openRaw();
    expect(await migrate(sql, { target: 1 })).toBe(1);
    await sql.query(
      `INSERT INTO stations (id, name, public_key_pem, key_fingerprint, enrolled_at)
       VALUES ('st-1', 'Station 1', 'pem', $1, now())`,
      ['a'.repeat(64)],
    );
    expect(await migrate(sql, { target: 2 })).toBe(2);
    const tables = await sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['blobs', 'uploads', 'upload_lock_requests', 'receipts', 'receipt_head', 'commits']),
    );
    expect(await sql.query('SELECT id, seq, sha256 FROM receipt_head')).toEqual([
      { id: 1, seq: 0, sha256: '0'.repeat(64) },
    ]);
    // The head is one row; a second cannot be added.
    await expect(
      sql.query(`INSERT INTO receipt_head (id, seq, sha256) VALUES (2, 0, $1)`, ['0'.repeat(64)]),
    ).rejects.toThrow();
    // A verified commit names its receipt; a refused one has none.
    await expect(
      sql.query(
        `INSERT INTO commits (idempotency_key, request_sha256, station_id, case_number, case_version,
           tag_manifest_sha256, verification, receipt_seq, created_at)
         VALUES ('k', $1, 'st-1', 'ZF-1', 1, $1, 'verified', NULL, now())`,
        ['b'.repeat(64)],
      ),
    ).rejects.toThrow();
    await sql.query(
      `INSERT INTO commits (idempotency_key, request_sha256, station_id, case_number, case_version,
         tag_manifest_sha256, verification, receipt_seq, problems, created_at)
       VALUES ('k', $1, 'st-1', 'ZF-1', 1, $1, 'refused', NULL, '["changed"]'::jsonb, now())`,
      ['b'.repeat(64)],
    );
    // A receipt's signature is the raw 64 bytes.
    await expect(
      sql.query(
        `INSERT INTO receipts (seq, prev_hash, sha256, json, signature, created_at) VALUES (1, $1, $2, '{}', $3, now())`,
        ['0'.repeat(64), 'c'.repeat(64), Buffer.alloc(63)],
      ),
    ).rejects.toThrow();
  });
});
