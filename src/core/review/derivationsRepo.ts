import type { Derivation } from '../../shared/reviewSchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/**
 * How clips and stills were made (migration 30's `derivations`): one row per made item, written
 * in the same transaction as the item and its custody entry, never changed afterwards.
 */

interface DerivationRow {
  item_id: string;
  kind: Derivation['kind'];
  source_item_id: string;
  source_sha256: string;
  mode: Derivation['mode'];
  requested_from_sec: number | null;
  requested_to_sec: number | null;
  from_sec: number;
  to_sec: number;
  frame_count: number;
  provenance: string;
  created_by: string;
  created_at: string;
}

function rowToDerivation(row: DerivationRow): Derivation {
  return {
    itemId: row.item_id,
    kind: row.kind,
    sourceItemId: row.source_item_id,
    sourceSha256: row.source_sha256,
    mode: row.mode,
    requestedFromSec: row.requested_from_sec,
    requestedToSec: row.requested_to_sec,
    fromSec: row.from_sec,
    toSec: row.to_sec,
    frameCount: row.frame_count,
    createdBy: row.created_by,
    createdAt: row.created_at,
    provenance: JSON.parse(row.provenance) as Record<string, unknown>,
  };
}

export function insertDerivation(db: WritableDB, d: Derivation & { custodySeq: number }): void {
  db.prepare(
    `INSERT INTO derivations (item_id, kind, source_item_id, source_sha256, mode, requested_from_sec,
       requested_to_sec, from_sec, to_sec, frame_count, provenance, created_by, created_at, custody_seq)
     VALUES (@itemId, @kind, @sourceItemId, @sourceSha256, @mode, @requestedFromSec,
       @requestedToSec, @fromSec, @toSec, @frameCount, @provenance, @createdBy, @createdAt, @custodySeq)`,
  ).run({ ...d, provenance: JSON.stringify(d.provenance) });
}

/** How `itemId` was made, or null for an imported original. */
export function getDerivation(db: ReadableDB, itemId: string): Derivation | null {
  const row = db.prepare('SELECT * FROM derivations WHERE item_id = ?').get(itemId) as DerivationRow | undefined;
  return row ? rowToDerivation(row) : null;
}

/** Clips and stills made from `sourceItemId`, oldest first. */
export function listDerivatives(db: ReadableDB, sourceItemId: string): Derivation[] {
  const rows = db
    .prepare('SELECT * FROM derivations WHERE source_item_id = ? ORDER BY created_at, item_id')
    .all(sourceItemId) as DerivationRow[];
  return rows.map(rowToDerivation);
}

/** Derivations of several items at once (for lists such as a case's evidence); absent ids are originals. */
export function derivationsOfItems(db: ReadableDB, itemIds: readonly string[]): Map<string, Derivation> {
  const out = new Map<string, Derivation>();
  const stmt = db.prepare('SELECT * FROM derivations WHERE item_id = ?');
  for (const id of itemIds) {
    const row = stmt.get(id) as DerivationRow | undefined;
    if (row) out.set(id, rowToDerivation(row));
  }
  return out;
}
