import type { Sql } from '../db/sql';

export interface Station {
  id: string;
  name: string;
  publicKeyPem: string;
  keyFingerprint: string;
  enrolledAt: Date;
  revokedAt: Date | null;
}

interface StationRow {
  id: string;
  name: string;
  public_key_pem: string;
  key_fingerprint: string;
  enrolled_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, name, public_key_pem, key_fingerprint, enrolled_at, revoked_at';

function toStation(row: StationRow): Station {
  return {
    id: row.id,
    name: row.name,
    publicKeyPem: row.public_key_pem,
    keyFingerprint: row.key_fingerprint,
    enrolledAt: row.enrolled_at,
    revokedAt: row.revoked_at,
  };
}

export async function findStation(sql: Sql, id: string, options: { forUpdate?: boolean } = {}): Promise<Station | null> {
  const rows = await sql.query<StationRow>(
    `SELECT ${COLUMNS} FROM stations WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ? toStation(rows[0]) : null;
}

export async function listStations(sql: Sql): Promise<Station[]> {
  const rows = await sql.query<StationRow>(`SELECT ${COLUMNS} FROM stations ORDER BY enrolled_at, id`);
  return rows.map(toStation);
}

/** Adds a station; false when one with this id exists already (another enrolment got there first). */
export async function insertStation(
  sql: Sql,
  s: { id: string; name: string; publicKeyPem: string; keyFingerprint: string; enrolledAt: Date },
): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO stations (id, name, public_key_pem, key_fingerprint, enrolled_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [s.id, s.name, s.publicKeyPem, s.keyFingerprint, s.enrolledAt],
  );
  return rows.length === 1;
}

export type RevokeOutcome = 'revoked' | 'alreadyRevoked' | 'unknown';

/**
 * Marks a station revoked (once: the first revocation time stays) and drops its unused nonces,
 * so a request it signed a moment ago is refused too. Its received cases stay listed.
 */
export async function revokeStation(sql: Sql, id: string, now: Date): Promise<RevokeOutcome> {
  return sql.transaction(async (tx) => {
    const station = await findStation(tx, id, { forUpdate: true });
    if (!station) return 'unknown';
    if (station.revokedAt) return 'alreadyRevoked';
    await tx.query('UPDATE stations SET revoked_at = $2 WHERE id = $1', [id, now]);
    await tx.query('DELETE FROM nonces WHERE station_id = $1', [id]);
    return 'revoked';
  });
}
