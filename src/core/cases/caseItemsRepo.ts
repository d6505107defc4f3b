import type { CaseItem } from '../../shared/reviewSchemas';
import type { ReadableDB, WritableDB } from '../db/database';
import { rowToSummary, type ItemRow } from '../library/itemsRepo';
import { derivationsOfItems } from '../review/derivationsRepo';
import { listTagsOfItems } from '../tags/tagsRepo';

/**
 * The items of a case. A removal is soft: the row keeps who removed the item, why, and the custody
 * entry, and the item may be added again later as a new row.
 */

/** Ids of the items currently in the case. */
export function currentCaseItemIds(db: ReadableDB, caseId: string): Set<string> {
  const rows = db.prepare('SELECT item_id FROM case_items WHERE case_id = ? AND removed_at IS NULL').all(caseId) as {
    item_id: string;
  }[];
  return new Set(rows.map((r) => r.item_id));
}

export function insertCaseItem(
  db: WritableDB,
  r: { caseId: string; itemId: string; addedBy: string; addedAt: string; addedSeq: number },
): void {
  db.prepare(
    `INSERT INTO case_items (case_id, item_id, added_by, added_at, added_seq)
     VALUES (@caseId, @itemId, @addedBy, @addedAt, @addedSeq)`,
  ).run(r);
}

export function markCaseItemRemoved(
  db: WritableDB,
  r: { caseId: string; itemId: string; by: string; at: string; reason: string; seq: number },
): void {
  db.prepare(
    `UPDATE case_items SET removed_by = @by, removed_at = @at, removed_reason = @reason, removed_seq = @seq
     WHERE case_id = @caseId AND item_id = @itemId AND removed_at IS NULL`,
  ).run(r);
}

type CaseItemRow = ItemRow & { added_by: string; added_at: string };

/**
 * The case's current items on one time axis: by the UTC instant of their first frame, then in the
 * order they were added; items without a recorded time come last.
 */
export function listCaseItems(db: ReadableDB, caseId: string): CaseItem[] {
  const rows = db
    .prepare(
      `SELECT i.*, d.state AS thumbnail_state, ci.added_by, ci.added_at
       FROM case_items ci
       JOIN items i ON i.id = ci.item_id
       LEFT JOIN derived d ON d.item_id = i.id AND d.variant = 'thumbnail'
       WHERE ci.case_id = ? AND ci.removed_at IS NULL
       ORDER BY i.recorded_at_utc IS NULL, i.recorded_at_utc, ci.id`,
    )
    .all(caseId) as CaseItemRow[];
  const ids = rows.map((r) => r.id);
  const tags = listTagsOfItems(db, ids);
  const derivations = derivationsOfItems(db, ids);
  return rows.map((row) => {
    const startsAt = row.recorded_at_utc ? new Date(row.recorded_at_utc) : null;
    const endsAt =
      startsAt && row.duration_sec !== null ? new Date(startsAt.getTime() + row.duration_sec * 1000) : null;
    return {
      item: rowToSummary(row),
      derivation: derivations.get(row.id) ?? null,
      tags: tags.get(row.id) ?? [],
      addedBy: row.added_by,
      addedAt: row.added_at,
      startsAt: startsAt?.toISOString() ?? null,
      endsAt: endsAt?.toISOString() ?? null,
    };
  });
}
