import type { Marker } from '../../shared/reviewSchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/** Markers on a recording. Removal is soft: the row stays with who removed it and the custody entry. */

interface MarkerRow {
  id: string;
  item_id: string;
  at_sec: number;
  label: string;
  created_by: string;
  created_at: string;
  removed_at: string | null;
}

function rowToMarker(row: MarkerRow): Marker {
  return {
    id: row.id,
    itemId: row.item_id,
    atSec: row.at_sec,
    label: row.label,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** An item's markers that are not removed, in media-time order. */
export function listMarkers(db: ReadableDB, itemId: string): Marker[] {
  return (
    db
      .prepare('SELECT * FROM markers WHERE item_id = ? AND removed_at IS NULL ORDER BY at_sec, rowid')
      .all(itemId) as MarkerRow[]
  ).map(rowToMarker);
}

/** A marker that is not removed, or null. */
export function getMarker(db: ReadableDB, id: string): Marker | null {
  const row = db.prepare('SELECT * FROM markers WHERE id = ? AND removed_at IS NULL').get(id) as MarkerRow | undefined;
  return row ? rowToMarker(row) : null;
}

export function insertMarker(db: WritableDB, marker: Marker & { custodySeq: number }): void {
  db.prepare(
    `INSERT INTO markers (id, item_id, at_sec, label, created_by, created_at, custody_seq)
     VALUES (@id, @itemId, @atSec, @label, @createdBy, @createdAt, @custodySeq)`,
  ).run(marker);
}

export function markMarkerRemoved(db: WritableDB, id: string, by: string, at: string, custodySeq: number): void {
  db.prepare('UPDATE markers SET removed_by = ?, removed_at = ?, removed_seq = ? WHERE id = ?').run(
    by,
    at,
    custodySeq,
    id,
  );
}
