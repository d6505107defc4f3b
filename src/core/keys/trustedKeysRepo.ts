import type { TrustedKey } from '../../shared/sealSchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/** Public keys of the office's other stations, imported by an admin (`trusted_keys`, migration 40). */

interface TrustedKeyRow {
  fingerprint: string;
  label: string;
  public_key_pem: string;
  imported_by: string;
  imported_at: string;
}

function rowToTrustedKey(row: TrustedKeyRow): TrustedKey {
  return {
    fingerprint: row.fingerprint,
    label: row.label,
    publicKeyPem: row.public_key_pem,
    importedBy: row.imported_by,
    importedAt: row.imported_at,
  };
}

export function listTrustedKeys(db: ReadableDB): TrustedKey[] {
  const rows = db.prepare('SELECT * FROM trusted_keys ORDER BY imported_at, fingerprint').all() as TrustedKeyRow[];
  return rows.map(rowToTrustedKey);
}

export function trustedKeyExists(db: ReadableDB, fingerprint: string): boolean {
  return db.prepare('SELECT 1 FROM trusted_keys WHERE fingerprint = ?').get(fingerprint) !== undefined;
}

export function insertTrustedKey(db: WritableDB, key: TrustedKey & { custodySeq: number }): void {
  db.prepare(
    `INSERT INTO trusted_keys (fingerprint, label, public_key_pem, imported_by, imported_at, custody_seq)
     VALUES (@fingerprint, @label, @publicKeyPem, @importedBy, @importedAt, @custodySeq)`,
  ).run(key);
}
