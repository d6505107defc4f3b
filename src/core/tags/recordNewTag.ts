import { randomUUID } from 'node:crypto';
import type { ReadableDB } from '../db/database';
import type { ItemRow } from '../library/itemsRepo';
import type { Services } from '../api/services';
import { stationTimestamp } from '../util/time';
import { insertTag, insertTagRevision, type TagState } from './tagsRepo';

/**
 * Writes a new tag on `item`: its custody entry about the item, the tag and its first revision.
 * Call inside the transaction of the change it belongs to; `extra` goes into the custody entry
 * (what the tag was carried over from, the batch it belongs to).
 */
export function recordNewTag(
  s: Pick<Services, 'db' | 'record' | 'now'>,
  item: Pick<ItemRow, 'id' | 'sha256'>,
  state: TagState,
  actor: string,
  extra: Record<string, unknown> = {},
): string {
  const id = randomUUID();
  const at = stationTimestamp(s.now());
  const { removed: _removed, ...shown } = state;
  const entry = s.record({
    actor,
    action: 'tag.add',
    subject: item.id,
    sha256: item.sha256,
    details: { tagId: id, revision: 1, ...shown, ...extra },
  });
  insertTag(s.db, { id, itemId: item.id, state, by: actor, at });
  insertTagRevision(s.db, {
    tagId: id,
    revision: 1,
    action: 'add',
    undoes: null,
    ...state,
    by: actor,
    at,
    custodySeq: entry.seq,
  });
  return id;
}

/** Whether the item carries a current whole-item tag of this type (index `tags_current_by_item`). */
export function hasWholeItemTag(db: ReadableDB, itemId: string, code: string): boolean {
  return (
    db
      .prepare('SELECT 1 FROM tags WHERE item_id = ? AND removed = 0 AND code = ? AND from_sec IS NULL LIMIT 1')
      .get(itemId, code) !== undefined
  );
}

/** Whether the item carries any current tag of this type, whole or ranged. */
export function hasTagOfType(db: ReadableDB, itemId: string, code: string): boolean {
  return (
    db.prepare('SELECT 1 FROM tags WHERE item_id = ? AND removed = 0 AND code = ? LIMIT 1').get(itemId, code) !==
    undefined
  );
}
