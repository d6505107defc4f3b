import type {
  ImportFileResult,
  ItemDetail,
  ItemOrigin,
  ItemStatus,
  ItemSummary,
  MediaInfo,
  MediaKind,
  RecordedAtSource,
  TimeCorrection,
} from '../../shared/schemas';
import type { ReadableDB, WritableDB } from '../db/database';

export type { ItemOrigin };

export interface NewItem {
  id: string;
  sha256: string;
  size: number;
  originalName: string;
  relativePath: string;
  sourcePath: string;
  sourceDevice: string | null;
  modifiedAt: string | null;
  kind: MediaKind;
  status: ItemStatus;
  reason: string | null;
  /** The import that brought the item in; null exactly when `origin` is 'clip' or 'still'. */
  importId: string | null;
  /** Default 'import'. */
  origin?: ItemOrigin;
  importedAt: string;
  importedBy: string;
  media: MediaInfo;
  custodySeq: number;
}

export interface ItemRow {
  id: string;
  sha256: string;
  size: number;
  original_name: string;
  relative_path: string;
  source_path: string;
  source_device: string | null;
  modified_at: string | null;
  kind: MediaKind;
  status: ItemStatus;
  reason: string | null;
  import_id: string | null;
  origin: ItemOrigin;
  imported_at: string;
  imported_by: string;
  media: string;
  recorded_at: string | null;
  recorded_at_utc: string | null;
  recorded_at_source: RecordedAtSource | null;
  offset_known: number;
  original_recorded_at: string | null;
  duration_sec: number | null;
  device_id: string | null;
  officer_id: string | null;
  has_gps: number;
  custody_seq: number;
  thumbnail_state?: string | null;
}

/** Everything a text search may match, lowercased once at write time so queries stay a plain LIKE. */
export function searchTextOf(item: Pick<NewItem, 'originalName' | 'relativePath' | 'sha256' | 'media'>): string {
  const m = item.media;
  const camera = [m.make, m.model, m.serial, m.firmware];
  return [item.originalName, item.relativePath, item.sha256, m.deviceId, m.officerId, ...camera]
    .filter((v): v is string => typeof v === 'string' && v.length > 0)
    .join('\n')
    .toLowerCase();
}

export function insertItem(db: WritableDB, item: NewItem): void {
  const m = item.media;
  db.prepare(
    `INSERT INTO items (id, sha256, size, original_name, relative_path, source_path, source_device, modified_at,
       kind, status, reason, import_id, imported_at, imported_by, media, recorded_at, recorded_at_utc,
       recorded_at_source, offset_known, original_recorded_at, duration_sec, device_id, officer_id, has_gps,
       search_text, custody_seq, origin, make, model, serial, firmware)
     VALUES (@id, @sha256, @size, @originalName, @relativePath, @sourcePath, @sourceDevice, @modifiedAt,
       @kind, @status, @reason, @importId, @importedAt, @importedBy, @media, @recordedAt, @recordedAtUtc,
       @recordedAtSource, @offsetKnown, @recordedAt, @durationSec, @deviceId, @officerId, @hasGps,
       @searchText, @custodySeq, @origin, @make, @model, @serial, @firmware)`,
  ).run({
    ...item,
    origin: item.origin ?? 'import',
    media: JSON.stringify(m),
    recordedAt: m.recordedAt ?? null,
    recordedAtUtc: m.recordedAt ? new Date(m.recordedAt).toISOString() : null,
    recordedAtSource: m.recordedAtSource ?? null,
    offsetKnown: m.offsetKnown ? 1 : 0,
    durationSec: m.durationSec ?? null,
    deviceId: m.deviceId ?? null,
    officerId: m.officerId ?? null,
    hasGps: m.gps ? 1 : 0,
    searchText: searchTextOf(item),
    make: m.make ?? null,
    model: m.model ?? null,
    serial: m.serial ?? null,
    firmware: m.firmware ?? null,
  });
}

export function findItemIdBySha(db: ReadableDB, sha256: string): string | null {
  const row = db.prepare('SELECT id FROM items WHERE sha256 = ?').get(sha256) as { id: string } | undefined;
  return row?.id ?? null;
}

/**
 * Items whose SHA-256 starts with `prefix` (lower-case hex), at most two: enough to tell a unique
 * match from an ambiguous one. The CLI prints 12 hex digits of each hash, so people type those.
 */
export function findItemIdsByShaPrefix(db: ReadableDB, prefix: string): string[] {
  const rows = db
    .prepare("SELECT id FROM items WHERE sha256 >= ? AND sha256 < ? || 'g' ORDER BY sha256 LIMIT 2")
    .all(prefix, prefix) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

export function getItemRow(db: ReadableDB, id: string): ItemRow | null {
  return (
    (db
      .prepare(
        `SELECT i.*, d.state AS thumbnail_state FROM items i
         LEFT JOIN derived d ON d.item_id = i.id AND d.variant = 'thumbnail' WHERE i.id = ?`,
      )
      .get(id) as ItemRow | undefined) ?? null
  );
}

function derivedState(state: string | null | undefined): ItemSummary['thumbnail'] {
  if (state === 'ready') return 'ready';
  if (state === 'failed') return 'failed';
  if (state === 'pending' || state === 'running') return 'pending';
  return 'none';
}

export function rowToSummary(row: ItemRow): ItemSummary {
  return {
    id: row.id,
    sha256: row.sha256,
    size: row.size,
    originalName: row.original_name,
    kind: row.kind,
    status: row.status,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    recordedAt: row.recorded_at,
    recordedAtSource: row.recorded_at_source,
    offsetKnown: row.offset_known !== 0,
    durationSec: row.duration_sec,
    deviceId: row.device_id,
    officerId: row.officer_id,
    hasGps: row.has_gps !== 0,
    thumbnail: derivedState(row.thumbnail_state),
    origin: row.origin,
  };
}

export function getItemDetail(db: ReadableDB, id: string): ItemDetail | null {
  const row = getItemRow(db, id);
  if (!row) return null;
  const derived = db.prepare('SELECT variant, state FROM derived WHERE item_id = ?').all(id) as {
    variant: string;
    state: string;
  }[];
  const stateOf = (v: string): ItemSummary['thumbnail'] => derivedState(derived.find((d) => d.variant === v)?.state);
  const corrections = db
    .prepare(
      `SELECT recorded_at AS recordedAt, previous, reason, corrected_by AS by, corrected_at AS at
       FROM time_corrections WHERE item_id = ? ORDER BY id`,
    )
    .all(id) as TimeCorrection[];
  const seqs = (db.prepare('SELECT seq FROM custody WHERE subject = ? ORDER BY seq').all(id) as { seq: number }[]).map(
    (r) => r.seq,
  );
  const media = JSON.parse(row.media) as MediaInfo;
  return {
    ...rowToSummary(row),
    relativePath: row.relative_path,
    sourceDevice: row.source_device,
    importId: row.import_id,
    media: {
      ...media,
      recordedAt: row.recorded_at ?? undefined,
      recordedAtSource: row.recorded_at_source ?? undefined,
      offsetKnown: row.offset_known !== 0,
    },
    reason: row.reason,
    filmstrip: stateOf('filmstrip'),
    proxy: stateOf('proxy'),
    originalRecordedAt: row.original_recorded_at,
    corrections,
    custodySeqs: seqs,
  };
}

/**
 * `offsetKnown`: whether the corrected time's zone is known (a typed time always is); default
 * true. `source`: `derived` for a clip or still moved with its corrected source.
 */
export function updateRecordedAt(
  db: WritableDB,
  id: string,
  recordedAt: string,
  opts: { offsetKnown: boolean; source?: 'correction' | 'derived' } = { offsetKnown: true },
): void {
  db.prepare(
    `UPDATE items SET recorded_at = ?, recorded_at_utc = ?, recorded_at_source = ?, offset_known = ?
     WHERE id = ?`,
  ).run(recordedAt, new Date(recordedAt).toISOString(), opts.source ?? 'correction', opts.offsetKnown ? 1 : 0, id);
}

/** Which items a correction was made for; see migration 111. */
export type CorrectionScope = 'item' | 'items' | 'import' | 'device';

export function insertTimeCorrection(
  db: WritableDB,
  c: {
    itemId: string;
    recordedAt: string;
    previous: string | null;
    reason: string;
    by: string;
    at: string;
    custodySeq: number;
    /** A clock correction's shift and zone, and the batch it belongs to; absent for a typed time. */
    shiftSec?: number | null;
    zone?: string | null;
    batchId?: string | null;
    scope?: CorrectionScope;
    scopeRef?: string | null;
  },
): void {
  db.prepare(
    `INSERT INTO time_corrections (item_id, recorded_at, previous, reason, corrected_by, corrected_at, custody_seq,
       shift_sec, zone, batch_id, scope, scope_ref)
     VALUES (@itemId, @recordedAt, @previous, @reason, @by, @at, @custodySeq,
       @shiftSec, @zone, @batchId, @scope, @scopeRef)`,
  ).run({ shiftSec: null, zone: null, batchId: null, scope: 'item', scopeRef: null, ...c });
}

/** The items an import brought in, in the order they were stored (index `items_by_import`). */
export function itemIdsOfImport(db: ReadableDB, importId: string): string[] {
  const rows = db.prepare('SELECT id FROM items WHERE import_id = ? ORDER BY rowid').all(importId) as { id: string }[];
  return rows.map((r) => r.id);
}

/** The items recorded by a device, as its id was read from the files (index `items_by_device`). */
export function itemIdsOfDevice(db: ReadableDB, deviceId: string): string[] {
  const rows = db.prepare('SELECT id FROM items WHERE device_id = ? ORDER BY imported_at, id').all(deviceId) as {
    id: string;
  }[];
  return rows.map((r) => r.id);
}

export type { ImportFileResult };
