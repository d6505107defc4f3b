import type { WritableDB } from '../db/database';
import type { CustodyEntry } from '../../shared/schemas';
import type { CustodyInput } from '../custody/custodyLog';
import { listDerivatives } from '../review/derivationsRepo';
import { shiftInstant } from '../review/madeItemMedia';
import { getItemRow, insertTimeCorrection, updateRecordedAt, type CorrectionScope } from './itemsRepo';

/**
 * A clip's or still's recorded time is its source's plus where it was cut from
 * (`madeItemMedia`). When the source's time is corrected, each thing cut from it (and from those,
 * in turn) is moved with it in the same transaction, each with its own custody entry naming the
 * source and the offset, so a clip never shows a time its own recording no longer claims.
 */

export interface SourceCorrection {
  actor: string;
  at: string;
  reason: string;
  /** The correction of the source this follows: its batch, scope and custody entry. */
  batchId: string | null;
  scope: CorrectionScope;
  scopeRef: string | null;
  /** A clock correction's shift and zone (the clip's time moves by the same); null for a typed time. */
  shiftSec: number | null;
  zone: string | null;
  sourceSeq: number;
}

/** Moves every item cut from `sourceId` to follow the source's new time; returns their ids. */
export function followSourceTime(
  db: WritableDB,
  record: (entry: Omit<CustodyInput, 'at' | 'station'>) => CustodyEntry,
  sourceId: string,
  sourceRecordedAt: string,
  sourceOffsetKnown: boolean,
  c: SourceCorrection,
): string[] {
  const moved: string[] = [];
  for (const d of listDerivatives(db, sourceId)) {
    const item = getItemRow(db, d.itemId);
    if (!item) continue;
    const recordedAt = shiftInstant(sourceRecordedAt, d.fromSec);
    const previous = item.recorded_at;
    if (previous !== recordedAt) {
      const entry = record({
        actor: c.actor,
        action: 'item.correctTime',
        subject: item.id,
        sha256: item.sha256,
        details: {
          recordedAt,
          previous,
          reason: c.reason,
          derivedFrom: sourceId,
          fromSec: d.fromSec,
          sourceSeq: c.sourceSeq,
          ...(c.batchId === null ? {} : { batchId: c.batchId }),
        },
      });
      updateRecordedAt(db, item.id, recordedAt, { offsetKnown: sourceOffsetKnown, source: 'derived' });
      insertTimeCorrection(db, {
        itemId: item.id,
        recordedAt,
        previous,
        reason: c.reason,
        by: c.actor,
        at: c.at,
        custodySeq: entry.seq,
        shiftSec: c.shiftSec,
        zone: c.zone,
        batchId: c.batchId,
        scope: c.scope,
        scopeRef: c.scopeRef,
      });
      moved.push(item.id);
    }
    moved.push(...followSourceTime(db, record, item.id, recordedAt, sourceOffsetKnown, c));
  }
  return moved;
}
