import type { Tag } from '../../shared/reviewSchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/**
 * Tags as stored: `tags` holds each tag's current state, `tag_revisions` every state it has had
 * (append-only; a trigger refuses edits). Names come from the taxonomy version the tag was made
 * with, so an old tag reads as it was meant even after the catalogue changed.
 */

interface TagRow {
  id: string;
  item_id: string;
  revision: number;
  taxonomy_version: number;
  code: string;
  from_sec: number | null;
  to_sec: number | null;
  note: string;
  removed: number;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  name_zh: string;
  name_en: string;
}

const SELECT_TAG = `SELECT t.*, v.name_zh, v.name_en FROM tags t
  JOIN violation_types v ON v.version = t.taxonomy_version AND v.code = t.code`;

function rowToTag(row: TagRow): Tag {
  return {
    id: row.id,
    itemId: row.item_id,
    code: row.code,
    taxonomyVersion: row.taxonomy_version,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    fromSec: row.from_sec,
    toSec: row.to_sec,
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
    removed: row.removed !== 0,
    revision: row.revision,
  };
}

/** An item's tags in the order they were made; removed ones only when asked (the history view). */
export function listTags(db: ReadableDB, itemId: string, opts: { includeRemoved: boolean }): Tag[] {
  const where = opts.includeRemoved ? 'WHERE t.item_id = ?' : 'WHERE t.item_id = ? AND t.removed = 0';
  return (db.prepare(`${SELECT_TAG} ${where} ORDER BY t.rowid`).all(itemId) as TagRow[]).map(rowToTag);
}

/** The current tags of many items at once, by item id (for a case's item list). */
export function listTagsOfItems(db: ReadableDB, itemIds: readonly string[]): Map<string, Tag[]> {
  const byItem = new Map<string, Tag[]>();
  const stmt = db.prepare(`${SELECT_TAG} WHERE t.item_id = ? AND t.removed = 0 ORDER BY t.rowid`);
  for (const id of itemIds) byItem.set(id, (stmt.all(id) as TagRow[]).map(rowToTag));
  return byItem;
}

export function getTag(db: ReadableDB, id: string): Tag | null {
  const row = db.prepare(`${SELECT_TAG} WHERE t.id = ?`).get(id) as TagRow | undefined;
  return row ? rowToTag(row) : null;
}

/** The part of a tag that a change sets, and that a revision records. */
export interface TagState {
  taxonomyVersion: number;
  code: string;
  fromSec: number | null;
  toSec: number | null;
  note: string;
  removed: boolean;
}

export type TagAction = 'add' | 'update' | 'remove' | 'undo';

export interface TagRevision extends TagState {
  tagId: string;
  revision: number;
  action: TagAction;
  /** For an undo: the revision it reverted. */
  undoes: number | null;
  by: string;
  at: string;
  custodySeq: number;
}

interface RevisionRow {
  tag_id: string;
  revision: number;
  action: TagAction;
  undoes: number | null;
  taxonomy_version: number;
  code: string;
  from_sec: number | null;
  to_sec: number | null;
  note: string;
  removed: number;
  by: string;
  at: string;
  custody_seq: number;
}

function rowToRevision(row: RevisionRow): TagRevision {
  return {
    tagId: row.tag_id,
    revision: row.revision,
    action: row.action,
    undoes: row.undoes,
    taxonomyVersion: row.taxonomy_version,
    code: row.code,
    fromSec: row.from_sec,
    toSec: row.to_sec,
    note: row.note,
    removed: row.removed !== 0,
    by: row.by,
    at: row.at,
    custodySeq: row.custody_seq,
  };
}

/** Every state the tag has had, oldest first. */
export function listTagRevisions(db: ReadableDB, tagId: string): TagRevision[] {
  return (db.prepare('SELECT * FROM tag_revisions WHERE tag_id = ? ORDER BY revision').all(tagId) as RevisionRow[]).map(
    rowToRevision,
  );
}

export function insertTag(
  db: WritableDB,
  tag: { id: string; itemId: string; state: TagState; by: string; at: string },
): void {
  const s = tag.state;
  db.prepare(
    `INSERT INTO tags (id, item_id, revision, taxonomy_version, code, from_sec, to_sec, note, removed,
       created_by, created_at, updated_by, updated_at)
     VALUES (@id, @itemId, 1, @taxonomyVersion, @code, @fromSec, @toSec, @note, @removed, @by, @at, @by, @at)`,
  ).run({ id: tag.id, itemId: tag.itemId, ...s, removed: s.removed ? 1 : 0, by: tag.by, at: tag.at });
}

/** Sets a tag's current state to that of `revision` (already appended). */
export function setTagState(db: WritableDB, revision: TagRevision): void {
  db.prepare(
    `UPDATE tags SET revision = @revision, taxonomy_version = @taxonomyVersion, code = @code, from_sec = @fromSec,
       to_sec = @toSec, note = @note, removed = @removed, updated_by = @by, updated_at = @at
     WHERE id = @tagId`,
  ).run({ ...revision, removed: revision.removed ? 1 : 0 });
}

export function insertTagRevision(db: WritableDB, r: TagRevision): void {
  db.prepare(
    `INSERT INTO tag_revisions (tag_id, revision, action, undoes, taxonomy_version, code, from_sec, to_sec, note,
       removed, by, at, custody_seq)
     VALUES (@tagId, @revision, @action, @undoes, @taxonomyVersion, @code, @fromSec, @toSec, @note,
       @removed, @by, @at, @custodySeq)`,
  ).run({ ...r, removed: r.removed ? 1 : 0 });
}
