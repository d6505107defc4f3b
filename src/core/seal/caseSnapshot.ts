import { MediaInfo, type CustodyEntry } from '../../shared/schemas';
import { CaseJson, type ChainPoint, type PackageItem, type PackageTag } from '../../shared/sealSchemas';
import type { ReadableDB } from '../db/database';
import type { ItemRow } from '../library/itemsRepo';
import { payloadNames } from '../package/payloadNames';
import { derivationsOfItems } from '../review/derivationsRepo';
import { listTagsOfItems } from '../tags/tagsRepo';
import { rowToCaseFields, type CaseRow } from '../cases/casesRepo';
import { evidencePath, type StationLayout } from '../store/layout';
import type { Derivation } from '../../shared/reviewSchemas';

/**
 * The frozen form of a case version: its `case.json`, the custody entries about it, and the
 * stored files its package carries. Built in one synchronous run of reads (better-sqlite3 is
 * synchronous and the engine has one connection), so what it describes is one consistent state of
 * the database: nothing can be written between the chain head it names and the rows it reads.
 */

export interface SnapshotFile {
  itemId: string;
  originalName: string;
  bagPath: string;
  storedPath: string;
  sha256: string;
  size: number;
}

export interface CaseSnapshot {
  caseJson: CaseJson;
  /** Every custody entry about the case and its items up to the chain head, in order. */
  custody: CustodyEntry[];
  files: SnapshotFile[];
  chainHead: ChainPoint;
}

export interface SealIdentity {
  version: number;
  previousVersion: number | null;
  sealedBy: string;
  sealedAt: string;
  stationId: string;
  stationName: string;
  office: string;
  keyFingerprint: string;
  software: CaseJson['software'];
}

type CaseItemRow = ItemRow & { added_by: string; added_at: string };

interface CorrectionRow {
  recorded_at: string;
  previous: string | null;
  reason: string;
  corrected_by: string;
  corrected_at: string;
  custody_seq: number;
  shift_sec: number | null;
  zone: string | null;
  batch_id: string | null;
  scope: string;
  scope_ref: string | null;
}

interface CustodyRow extends Omit<CustodyEntry, 'details'> {
  details: string;
}

const FOLDER: Record<PackageItem['origin'], string> = { original: 'originals', clip: 'clips', still: 'stills' };

function originOf(row: ItemRow): PackageItem['origin'] {
  return row.origin === 'import' ? 'original' : row.origin;
}

function packageDerivation(d: Derivation): PackageItem['derivation'] {
  return {
    sourceSha256: d.sourceSha256,
    mode: d.kind === 'still' ? 'still' : (d.mode ?? 'clip'),
    fromSec: d.requestedFromSec ?? d.fromSec,
    toSec: d.kind === 'still' ? null : (d.requestedToSec ?? d.toSec),
    // What the station recorded when it made the file, with the measured range beside it.
    provenance: {
      ...d.provenance,
      kind: d.kind,
      sourceItemId: d.sourceItemId,
      measuredFromSec: d.fromSec,
      measuredToSec: d.toSec,
      frameCount: d.frameCount,
      createdBy: d.createdBy,
      createdAt: d.createdAt,
    },
  };
}

function packageTags(tags: ReturnType<typeof listTagsOfItems>, itemId: string): PackageTag[] {
  return (tags.get(itemId) ?? []).map((t) => ({
    id: t.id,
    code: t.code,
    label: { zh: t.nameZh, en: t.nameEn },
    taxonomyVersion: t.taxonomyVersion,
    fromSec: t.fromSec,
    toSec: t.toSec,
    note: t.note,
    createdBy: t.createdBy,
    createdAt: t.createdAt,
    updatedBy: t.updatedBy,
    updatedAt: t.updatedAt,
  }));
}

/** The case's current items, in the order of its time axis (as the case page shows them). */
export function caseItemRows(db: ReadableDB, caseId: string): CaseItemRow[] {
  return db
    .prepare(
      `SELECT i.*, ci.added_by, ci.added_at
       FROM case_items ci JOIN items i ON i.id = ci.item_id
       WHERE ci.case_id = ? AND ci.removed_at IS NULL
       ORDER BY i.recorded_at_utc IS NULL, i.recorded_at_utc, ci.id`,
    )
    .all(caseId) as CaseItemRow[];
}

/**
 * Custody entries about the case or its items (by subject, or by naming an item's hash), up to
 * and including `uptoSeq`, exactly as chained so each one's hash recomputes on its own.
 */
export function custodyAbout(
  db: ReadableDB,
  caseId: string,
  items: readonly ItemRow[],
  uptoSeq: number,
): CustodyEntry[] {
  const subjects = JSON.stringify([caseId, ...items.map((i) => i.id)]);
  const hashes = JSON.stringify(items.map((i) => i.sha256));
  const rows = db
    .prepare(
      `SELECT * FROM custody
       WHERE seq <= @uptoSeq
         AND (subject IN (SELECT value FROM json_each(@subjects)) OR sha256 IN (SELECT value FROM json_each(@hashes)))
       ORDER BY seq`,
    )
    .all({ uptoSeq, subjects, hashes }) as CustodyRow[];
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

/** Reads everything a case version freezes. Synchronous on purpose: see the module comment. */
export function buildCaseSnapshot(
  db: ReadableDB,
  layout: StationLayout,
  caseRow: CaseRow,
  seal: SealIdentity,
): CaseSnapshot {
  const head = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as ChainPoint | undefined;
  if (!head) throw new Error('a case exists, so the custody chain cannot be empty');
  const rows = caseItemRows(db, caseRow.id);
  const ids = rows.map((r) => r.id);
  const tags = listTagsOfItems(db, ids);
  const derivations = derivationsOfItems(db, ids);
  const corrections = db.prepare(
    `SELECT recorded_at, previous, reason, corrected_by, corrected_at, custody_seq, shift_sec, zone, batch_id,
       scope, scope_ref
     FROM time_corrections WHERE item_id = ? ORDER BY id`,
  );

  // Safe names per folder, numbered in the case's order; the real names stay in case.json.
  const bagPathOf = new Map<string, string>();
  for (const origin of ['original', 'clip', 'still'] as const) {
    const inFolder = rows.filter((r) => originOf(r) === origin);
    const names = payloadNames(inFolder.map((r) => r.original_name));
    inFolder.forEach((r, i) => bagPathOf.set(r.id, `data/${FOLDER[origin]}/${names[i]!}`));
  }

  const items: PackageItem[] = rows.map((row) => {
    const media = MediaInfo.passthrough().parse(JSON.parse(row.media));
    const derivation = derivations.get(row.id);
    return {
      id: row.id,
      origin: originOf(row),
      sha256: row.sha256,
      size: row.size,
      originalName: row.original_name,
      bagPath: bagPathOf.get(row.id)!,
      media,
      recordedAt: row.recorded_at,
      recordedAtSource: row.recorded_at_source,
      timeProvenance: {
        recordedAt: row.recorded_at,
        source: row.recorded_at_source,
        offsetKnown: row.offset_known !== 0,
        firstRead: row.original_recorded_at ?? row.recorded_at,
        corrections: (corrections.all(row.id) as CorrectionRow[]).map((c) => ({
          recordedAt: c.recorded_at,
          previous: c.previous,
          reason: c.reason,
          by: c.corrected_by,
          at: c.corrected_at,
          custodySeq: c.custody_seq,
          // A clock correction says how it was made: the shift, the zone, and the batch and scope
          // (a whole import or device) it was one of; a typed time has none of these.
          ...(c.shift_sec === null ? {} : { shiftSec: c.shift_sec }),
          ...(c.zone === null ? {} : { zone: c.zone }),
          ...(c.batch_id === null ? {} : { batchId: c.batch_id, scope: c.scope }),
          ...(c.scope_ref === null ? {} : { scopeRef: c.scope_ref }),
        })),
      },
      deviceId: row.device_id,
      officerId: row.officer_id,
      gps: media.gps ?? null,
      importedAt: row.imported_at,
      importedBy: row.imported_by,
      derivation: derivation ? packageDerivation(derivation) : null,
      tags: packageTags(tags, row.id),
      addedToCaseBy: row.added_by,
      addedToCaseAt: row.added_at,
    };
  });

  const fields = rowToCaseFields(caseRow);
  const caseJson = CaseJson.parse({
    format: 'evidence-station/case',
    formatVersion: 1,
    case: {
      id: caseRow.id,
      number: caseRow.number,
      version: seal.version,
      title: fields.title,
      place: fields.place,
      occurredAt: fields.occurredAt,
      parties: fields.parties,
      notes: fields.notes,
      createdBy: caseRow.created_by,
      createdAt: caseRow.created_at,
    },
    seal: {
      sealedBy: seal.sealedBy,
      sealedAt: seal.sealedAt,
      stationId: seal.stationId,
      stationName: seal.stationName,
      office: seal.office,
      keyFingerprint: seal.keyFingerprint,
      chainHead: { seq: head.seq, hash: head.hash },
      previousVersion: seal.previousVersion,
    },
    items,
    software: seal.software,
  });

  return {
    caseJson,
    custody: custodyAbout(db, caseRow.id, rows, head.seq),
    files: rows.map((r) => ({
      itemId: r.id,
      originalName: r.original_name,
      bagPath: bagPathOf.get(r.id)!,
      storedPath: evidencePath(layout, r.sha256),
      sha256: r.sha256,
      size: r.size,
    })),
    chainHead: { seq: head.seq, hash: head.hash },
  };
}
