import { randomUUID } from 'node:crypto';
import type { Derivation, DerivedEvidence } from '../../shared/reviewSchemas';
import type { MediaInfo } from '../../shared/schemas';
import type { CustodyInput } from '../custody/custodyLog';
import { inTransaction, type WritableDB } from '../db/database';
import { enqueueDerivedFor } from '../jobs/derivedRepo';
import { getItemDetail, insertItem, type ItemRow } from '../library/itemsRepo';
import { stationTimestamp } from '../util/time';
import { getDerivation, insertDerivation } from './derivationsRepo';

/** Appends a custody entry inside the caller's transaction (the engine's `Services.record`). */
export type RecordCustody = (entry: Omit<CustodyInput, 'at' | 'station'>) => { seq: number };

/** How a clip or still was made, as measured from the output; becomes its `derivations` row. */
export interface MadeFacts {
  kind: 'clip' | 'still';
  source: ItemRow;
  sha256: string;
  size: number;
  originalName: string;
  media: MediaInfo;
  mode: Derivation['mode'];
  requestedFromSec: number | null;
  requestedToSec: number | null;
  fromSec: number;
  toSec: number;
  frameCount: number;
  /** Tool, version, arguments, streams, encoder: already free of store paths. */
  provenance: Record<string, unknown>;
  actor: string;
}

/** What is known of a cut before its output is probed. */
export type CutFacts = Omit<MadeFacts, 'media'>;

/** The custody entry's details: enough to tell what was made from what, without the provenance blob. */
function custodyDetails(f: CutFacts): Record<string, unknown> {
  const p = f.provenance;
  return {
    sourceItemId: f.source.id,
    sourceSha256: f.source.sha256,
    originalName: f.originalName,
    size: f.size,
    mode: f.mode,
    requestedFromSec: f.requestedFromSec,
    requestedToSec: f.requestedToSec,
    fromSec: f.fromSec,
    toSec: f.toSec,
    frameCount: f.frameCount,
    tool: p.tool ?? null,
    toolVersion: p.toolVersion ?? null,
    args: p.args ?? null,
  };
}

/**
 * Records a new clip or still in one transaction: the custody entry (`clip.create` /
 * `still.create`), the item (origin 'clip'/'still', no import), how it was made, and its
 * thumbnail/filmstrip jobs. The file must already be in the store under `sha256`. Returns the new
 * item's id.
 */
export function recordMadeItem(db: WritableDB, record: RecordCustody, now: Date, f: MadeFacts): string {
  const itemId = randomUUID();
  const at = stationTimestamp(now);
  inTransaction(db, () => {
    const entry = record({
      actor: f.actor,
      action: `${f.kind}.create`,
      subject: itemId,
      sha256: f.sha256,
      details: custodyDetails(f),
    });
    insertItem(db, {
      id: itemId,
      sha256: f.sha256,
      size: f.size,
      originalName: f.originalName,
      relativePath: f.originalName,
      // Where the bytes came from: the source item, not a path on a device.
      sourcePath: `item:${f.source.id}`,
      sourceDevice: f.source.source_device,
      modifiedAt: null,
      kind: f.media.kind,
      status: 'ok',
      reason: null,
      importId: null,
      origin: f.kind,
      importedAt: at,
      importedBy: f.actor,
      media: f.media,
      custodySeq: entry.seq,
    });
    insertDerivation(db, {
      itemId,
      kind: f.kind,
      sourceItemId: f.source.id,
      sourceSha256: f.source.sha256,
      mode: f.mode,
      requestedFromSec: f.requestedFromSec,
      requestedToSec: f.requestedToSec,
      fromSec: f.fromSec,
      toSec: f.toSec,
      frameCount: f.frameCount,
      createdBy: f.actor,
      createdAt: at,
      provenance: f.provenance,
      custodySeq: entry.seq,
    });
    enqueueDerivedFor(db, itemId, f.media, now);
  });
  return itemId;
}

/**
 * The same bytes are already an item (a lossless cut of the same range gives the same file): that
 * item is the answer, and the repeated cut is still an action on the record (`clip.duplicate` /
 * `still.duplicate`, like `import.duplicate`), with how it was made this time.
 */
export function recordRepeatedItem(
  db: WritableDB,
  record: RecordCustody,
  now: Date,
  f: CutFacts & { existingItemId: string },
): DerivedEvidence {
  inTransaction(db, () => {
    record({
      actor: f.actor,
      action: `${f.kind}.duplicate`,
      subject: f.existingItemId,
      sha256: f.sha256,
      details: { ...custodyDetails(f), duplicateOf: f.existingItemId },
    });
  });
  const item = getItemDetail(db, f.existingItemId);
  if (!item) throw new Error(`item ${f.existingItemId} vanished`);
  // Bytes that were imported before (an exported clip brought back in) have no derivation row:
  // this cut's facts describe them, without being stored as how the item was made.
  const derivation = getDerivation(db, f.existingItemId) ?? {
    itemId: f.existingItemId,
    kind: f.kind,
    sourceItemId: f.source.id,
    sourceSha256: f.source.sha256,
    mode: f.mode,
    requestedFromSec: f.requestedFromSec,
    requestedToSec: f.requestedToSec,
    fromSec: f.fromSec,
    toSec: f.toSec,
    frameCount: f.frameCount,
    createdBy: f.actor,
    createdAt: stationTimestamp(now),
    provenance: f.provenance,
  };
  return { item, derivation };
}

export function evidenceOf(db: WritableDB, itemId: string): DerivedEvidence {
  const item = getItemDetail(db, itemId);
  const derivation = getDerivation(db, itemId);
  if (!item || !derivation) throw new Error(`made item ${itemId} is not recorded`);
  return { item, derivation };
}
