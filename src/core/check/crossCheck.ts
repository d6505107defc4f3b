import type { CheckProblem } from '../../shared/custodySchemas';
import { ITEM_CREATING_ACTIONS } from '../custody/itemEntries';
import { entriesWithoutItem } from '../custody/verifyCustody';
import type { ReadableDB } from '../db/database';

const problem = (
  kind: CheckProblem['kind'],
  itemId: string | null,
  seq: number | null,
  detail: string,
): CheckProblem => ({ kind, itemId, seq, sha256: null, path: null, detail });

/**
 * The records against the custody log, both ways: every item has the entry that created it, every
 * entry that created an item still has it, and every case membership (added, and removed) has the
 * entry that recorded it, and every such entry its membership. Someone who deletes a row and its
 * file, or an entry, leaves one side without the other.
 */
export function crossCheckRecords(db: ReadableDB): CheckProblem[] {
  const out: CheckProblem[] = [];
  const items = db
    .prepare(
      `SELECT i.id, i.sha256, i.custody_seq AS seq, c.seq AS found, c.subject, c.action FROM items i
       LEFT JOIN custody c ON c.seq = i.custody_seq ORDER BY i.custody_seq`,
    )
    .all() as {
    id: string;
    sha256: string;
    seq: number;
    found: number | null;
    subject: string | null;
    action: string | null;
  }[];
  for (const i of items) {
    if (i.found === null) {
      out.push({
        ...problem('itemWithoutEntry', i.id, i.seq, `entry ${i.seq}, which created this item, is missing`),
        sha256: i.sha256,
      });
    } else if (i.subject !== i.id || !(ITEM_CREATING_ACTIONS as readonly string[]).includes(i.action ?? '')) {
      out.push({
        ...problem('itemWithoutEntry', i.id, i.seq, `entry ${i.seq} does not record the creation of this item`),
        sha256: i.sha256,
      });
    }
  }
  for (const e of entriesWithoutItem(db)) {
    out.push(problem('entryWithoutItem', e.itemId, e.seq, `entry ${e.seq} created item ${e.itemId}, which is gone`));
  }

  const memberships = db
    .prepare(
      `SELECT ci.case_id AS caseId, ci.item_id AS itemId, ci.added_seq AS addedSeq, ci.removed_seq AS removedSeq,
         a.action AS addedAction, a.subject AS addedSubject, a.details AS addedDetails,
         r.action AS removedAction, r.subject AS removedSubject, r.details AS removedDetails
       FROM case_items ci
       LEFT JOIN custody a ON a.seq = ci.added_seq
       LEFT JOIN custody r ON r.seq = ci.removed_seq
       ORDER BY ci.id`,
    )
    .all() as {
    caseId: string;
    itemId: string;
    addedSeq: number;
    removedSeq: number | null;
    addedAction: string | null;
    addedSubject: string | null;
    addedDetails: string | null;
    removedAction: string | null;
    removedSubject: string | null;
    removedDetails: string | null;
  }[];
  const recordsMembership = (
    action: string | null,
    want: string,
    subject: string | null,
    details: string | null,
    m: { caseId: string; itemId: string },
  ) => action === want && subject === m.caseId && itemIdOf(details) === m.itemId;
  for (const m of memberships) {
    if (!recordsMembership(m.addedAction, 'case.addItem', m.addedSubject, m.addedDetails, m)) {
      out.push(
        problem(
          'membershipWithoutEntry',
          m.itemId,
          m.addedSeq,
          `entry ${m.addedSeq} does not record adding this item to case ${m.caseId}`,
        ),
      );
    }
    if (
      m.removedSeq !== null &&
      !recordsMembership(m.removedAction, 'case.removeItem', m.removedSubject, m.removedDetails, m)
    ) {
      out.push(
        problem(
          'membershipWithoutEntry',
          m.itemId,
          m.removedSeq,
          `entry ${m.removedSeq} does not record removing this item from case ${m.caseId}`,
        ),
      );
    }
  }
  const unmatched = db
    .prepare(
      `SELECT c.seq, c.action, c.subject, c.details FROM custody c
       WHERE c.action IN ('case.addItem', 'case.removeItem')
         AND NOT EXISTS (SELECT 1 FROM case_items ci WHERE ci.added_seq = c.seq OR ci.removed_seq = c.seq)
       ORDER BY c.seq`,
    )
    .all() as { seq: number; action: string; subject: string; details: string }[];
  for (const e of unmatched) {
    out.push(
      problem(
        'membershipWithoutEntry',
        itemIdOf(e.details),
        e.seq,
        `entry ${e.seq} (${e.action}) has no case membership recording it`,
      ),
    );
  }
  return out;
}

function itemIdOf(details: string | null): string | null {
  if (!details) return null;
  try {
    const parsed = JSON.parse(details) as { itemId?: unknown };
    return typeof parsed.itemId === 'string' ? parsed.itemId : null;
  } catch {
    return null;
  }
}
