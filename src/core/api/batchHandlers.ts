import { randomUUID } from 'node:crypto';
import type { BatchItemResult, CaseOffers, TimeScope } from '../../shared/batchSchemas';
import { AppError } from '../../shared/errors';
import type { Tag } from '../../shared/reviewSchemas';
import { currentCaseItemIds, insertCaseItem } from '../cases/caseItemsRepo';
import { findCase, touchCase, type CaseRow } from '../cases/casesRepo';
import { inTransaction, type ReadableDB } from '../db/database';
import { correctReading } from '../library/clockCorrection';
import { followSourceTime } from '../library/followSourceTime';
import {
  getItemRow,
  insertTimeCorrection,
  itemIdsOfDevice,
  itemIdsOfImport,
  rowToSummary,
  updateRecordedAt,
  type ItemRow,
} from '../library/itemsRepo';
import { matchingIds } from '../library/queryLibrary';
import { getDerivation, listDerivatives } from '../review/derivationsRepo';
import { hasTagOfType, hasWholeItemTag, recordNewTag } from '../tags/recordNewTag';
import { getTag, listTags } from '../tags/tagsRepo';
import { getViolationType, latestTaxonomyVersion } from '../taxonomy/taxonomyRepo';
import { assertUsableType } from '../taxonomy/taxonomyRules';
import { stationTimestamp } from '../util/time';
import { actorOf, type Handlers, type Services } from './services';

type BatchHandlers = Pick<
  Handlers,
  'library.matching' | 'batch.addToCase' | 'batch.tag' | 'batch.correctTime' | 'cases.addOffers'
>;

/** How far a clip's requested ends may sit outside a tag's range and still count as cut from it (one millisecond of rounding). */
const RANGE_SLACK_SEC = 0.001;

/**
 * Batch work on a selection: each call is one transaction, writes one custody entry per item it
 * changes, and reports one outcome per item asked about. An item that cannot take the action is
 * reported and left as it was; a refusal that concerns the whole call (a sealed case, an unknown
 * violation type) changes nothing at all.
 */
export function batchHandlers(s: Services): BatchHandlers {
  const draftOrThrow = (ref: string): CaseRow => {
    const row = findCase(s.db, ref);
    if (!row) throw new AppError('case.notFound', { ref });
    if (row.state === 'sealed') throw new AppError('case.sealed', { number: row.number, version: row.version });
    if (row.state !== 'draft') throw new AppError('case.notDraft', { state: row.state });
    return row;
  };
  const result = (row: ItemRow | null, itemId: string, outcome: BatchItemResult['outcome']): BatchItemResult => ({
    itemId,
    name: row?.original_name ?? null,
    outcome,
  });
  const doneCount = (results: BatchItemResult[]) => results.filter((r) => r.outcome === 'done').length;

  return {
    'library.matching': (input) => ({ ids: matchingIds(s.db, input.query, [...new Set(input.ids)]) }),

    'batch.addToCase': (input, call) => {
      const actor = actorOf(call).name;
      const out = inTransaction(s.db, () => {
        const target = draftOrThrow(input.caseId);
        const present = currentCaseItemIds(s.db, target.id);
        const at = stationTimestamp(s.now());
        const results = unique(input.itemIds).map((itemId) => {
          const item = getItemRow(s.db, itemId);
          if (!item) return result(null, itemId, 'notFound');
          if (present.has(item.id)) return result(item, itemId, 'alreadyInCase');
          const entry = s.record({
            actor,
            action: 'case.addItem',
            subject: target.id,
            sha256: item.sha256,
            details: { number: target.number, itemId: item.id },
          });
          insertCaseItem(s.db, {
            caseId: target.id,
            itemId: item.id,
            addedBy: actor,
            addedAt: at,
            addedSeq: entry.seq,
          });
          present.add(item.id);
          return result(item, itemId, 'done');
        });
        const tagged = carryOverTags(s, input.tagFromSource, actor);
        if (results.some((r) => r.outcome === 'done')) touchCase(s.db, target.id, at);
        return { results, tagged, caseId: target.id, number: target.number };
      });
      s.emit('cases.changed', { caseId: out.caseId });
      for (const itemId of out.tagged) s.emit('review.changed', { itemId });
      if (out.tagged.length > 0) s.emit('library.changed', { itemIds: out.tagged });
      return { ...out, done: doneCount(out.results) };
    },

    'batch.tag': (input, call) => {
      const actor = actorOf(call).name;
      const results = inTransaction(s.db, () => {
        const version = latestTaxonomyVersion(s.db);
        assertUsableType(version === null ? null : getViolationType(s.db, version, input.code), input.code);
        const batchId = randomUUID();
        return unique(input.itemIds).map((itemId) => {
          const item = getItemRow(s.db, itemId);
          if (!item) return result(null, itemId, 'notFound');
          if (hasWholeItemTag(s.db, item.id, input.code)) return result(item, itemId, 'alreadyTagged');
          const state = {
            taxonomyVersion: version!,
            code: input.code,
            fromSec: null,
            toSec: null,
            note: input.note,
            removed: false,
          };
          recordNewTag(s, item, state, actor, { batchId });
          return result(item, itemId, 'done');
        });
      });
      for (const r of results) if (r.outcome === 'done') s.emit('review.changed', { itemId: r.itemId });
      s.emit('library.changed', { itemIds: doneIds(results) });
      return { results, done: doneCount(results) };
    },

    'batch.correctTime': (input, call) => {
      const actor = actorOf(call).name;
      const batchId = randomUUID();
      const zone = input.zone ?? null;
      const followed: string[] = [];
      const results = inTransaction(s.db, () => {
        const ids = itemsInScope(s.db, input.scope);
        const at = stationTimestamp(s.now());
        const scopeRef =
          input.scope.by === 'import'
            ? input.scope.importId
            : input.scope.by === 'device'
              ? input.scope.deviceId
              : null;
        return ids.map((itemId): BatchItemResult => {
          const item = getItemRow(s.db, itemId);
          if (!item) return result(null, itemId, 'notFound');
          const previous = item.recorded_at;
          // A clip's or still's time is its recording's plus the offset into it: the recording is corrected.
          if (item.origin !== 'import') return { ...result(item, itemId, 'derivedTime'), previous };
          const reading = item.original_recorded_at;
          const corrected = reading === null ? null : correctReading(reading, { shiftSec: input.shiftSec, zone });
          if (corrected === null) return { ...result(item, itemId, 'noRecordedTime'), previous };
          if (previous !== null && sameInstantAndZone(previous, corrected)) {
            return { ...result(item, itemId, 'unchanged'), previous, recordedAt: corrected };
          }
          const entry = s.record({
            actor,
            action: 'item.correctTime',
            subject: item.id,
            sha256: item.sha256,
            details: {
              recordedAt: corrected,
              previous,
              reading,
              shiftSec: input.shiftSec,
              zone,
              reason: input.reason,
              batchId,
              scope: input.scope.by,
              ...(scopeRef === null ? {} : { scopeRef }),
            },
          });
          updateRecordedAt(s.db, item.id, corrected, { offsetKnown: zone !== null || item.offset_known !== 0 });
          insertTimeCorrection(s.db, {
            itemId: item.id,
            recordedAt: corrected,
            previous,
            reason: input.reason,
            by: actor,
            at,
            custodySeq: entry.seq,
            shiftSec: input.shiftSec,
            zone,
            batchId,
            scope: input.scope.by,
            scopeRef,
          });
          followed.push(
            ...followSourceTime(s.db, s.record, item.id, corrected, zone !== null || item.offset_known !== 0, {
              actor,
              at,
              reason: input.reason,
              batchId,
              scope: input.scope.by,
              scopeRef,
              shiftSec: input.shiftSec,
              zone,
              sourceSeq: entry.seq,
            }),
          );
          return { ...result(item, itemId, 'done'), previous, recordedAt: corrected };
        });
      });
      s.emit('library.changed', { itemIds: [...doneIds(results), ...followed] });
      return { results, done: doneCount(results), batchId };
    },

    'cases.addOffers': (input) => caseOffers(s.db, unique(input.itemIds), input.caseId ?? null),
  };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function doneIds(results: BatchItemResult[]): string[] {
  return results.filter((r) => r.outcome === 'done').map((r) => r.itemId);
}

/** `2026-03-01T09:30:00+08:00` and `2026-03-01T09:30:00.000+08:00` are the same reading; another zone is not. */
function sameInstantAndZone(a: string, b: string): boolean {
  const zone = (t: string) => /(Z|[+-]\d{2}:?\d{2})$/.exec(t)?.[1];
  return Date.parse(a) === Date.parse(b) && zone(a) === zone(b);
}

function itemsInScope(db: ReadableDB, scope: TimeScope): string[] {
  if (scope.by === 'items') return unique(scope.itemIds);
  if (scope.by === 'import') {
    const ids = itemIdsOfImport(db, scope.importId);
    if (ids.length === 0) throw new AppError('batch.emptyImport', { ref: scope.importId });
    return ids;
  }
  const ids = itemIdsOfDevice(db, scope.deviceId);
  if (ids.length === 0) throw new AppError('batch.emptyDevice', { ref: scope.deviceId });
  return ids;
}

/** Whether the clip or still was cut from within the tag's range (requested ends, which lossless cuts round outward). */
function cutFromRange(
  derivation: {
    kind: 'clip' | 'still';
    fromSec: number;
    toSec: number;
    requestedFromSec: number | null;
    requestedToSec: number | null;
  },
  tag: Pick<Tag, 'fromSec' | 'toSec'>,
): boolean {
  if (tag.fromSec === null || tag.toSec === null) return false;
  const from = derivation.requestedFromSec ?? derivation.fromSec;
  const to = derivation.kind === 'still' ? from : (derivation.requestedToSec ?? derivation.toSec);
  return from >= tag.fromSec - RANGE_SLACK_SEC && to <= tag.toSec + RANGE_SLACK_SEC;
}

/**
 * Tags each clip with the type of the recording's tag it was cut from: a whole-item tag keeping the
 * tag's note, its custody entry naming the tag it came from. A pair that does not fit refuses the
 * whole call; a clip that already carries the type is left as it is.
 */
function carryOverTags(s: Services, pairs: readonly { itemId: string; tagId: string }[], actor: string): string[] {
  const tagged: string[] = [];
  for (const { itemId, tagId } of pairs) {
    const item = getItemRow(s.db, itemId);
    const derivation = item ? getDerivation(s.db, item.id) : null;
    const tag = getTag(s.db, tagId);
    if (
      !item ||
      !derivation ||
      !tag ||
      tag.removed ||
      tag.itemId !== derivation.sourceItemId ||
      !cutFromRange(derivation, tag)
    ) {
      throw new AppError('tag.notFromSource', { itemId, tagId });
    }
    if (hasTagOfType(s.db, item.id, tag.code)) continue;
    const state = {
      taxonomyVersion: tag.taxonomyVersion,
      code: tag.code,
      fromSec: null,
      toSec: null,
      note: tag.note,
      removed: false,
    };
    recordNewTag(s, item, state, actor, { fromTag: { itemId: tag.itemId, tagId: tag.id, revision: tag.revision } });
    tagged.push(item.id);
  }
  return tagged;
}

function caseOffers(db: ReadableDB, itemIds: string[], caseId: string | null): CaseOffers {
  const inCase = caseId === null ? new Set<string>() : currentCaseItemIds(db, caseId);
  const offers: CaseOffers['offers'] = [];
  for (const sourceItemId of itemIds) {
    const derivations = listDerivatives(db, sourceItemId);
    if (derivations.length === 0) continue;
    const sourceTags = listTags(db, sourceItemId, { includeRemoved: false });
    const derived = derivations.flatMap((derivation) => {
      const row = getItemRow(db, derivation.itemId);
      if (!row) return [];
      return [
        {
          item: rowToSummary(row),
          derivation,
          inCase: inCase.has(row.id),
          sourceTags: sourceTags.filter((tag) => cutFromRange(derivation, tag) && !hasTagOfType(db, row.id, tag.code)),
        },
      ];
    });
    offers.push({ sourceItemId, derived });
  }
  const drafts = db.prepare(`SELECT id FROM cases WHERE state = 'draft' LIMIT 2`).all() as { id: string }[];
  return { offers, onlyDraftId: drafts.length === 1 ? drafts[0]!.id : null };
}
