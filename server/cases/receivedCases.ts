import type { ReceivedCase } from '../../src/shared/syncProtocol';
import type { Sql } from '../db/sql';

/** Most recent first; the page and `GET /api/cases` show the same rows. */
export async function listReceivedCases(sql: Sql, limit = 1000): Promise<ReceivedCase[]> {
  const rows = await sql.query<{
    case_number: string;
    case_version: number;
    station_id: string;
    station_name: string;
    received_at: Date;
    verification: 'verified' | 'refused';
    receipt_seq: number | null;
  }>(
    `SELECT r.case_number, r.case_version, r.station_id, s.name AS station_name, r.received_at,
            r.verification, r.receipt_seq
       FROM received_cases r JOIN stations s ON s.id = r.station_id
      ORDER BY r.received_at DESC, r.id DESC
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    caseNumber: r.case_number,
    version: r.case_version,
    stationId: r.station_id,
    stationName: r.station_name,
    receivedAt: r.received_at.toISOString(),
    verification: r.verification,
    receiptSeq: r.receipt_seq,
  }));
}
