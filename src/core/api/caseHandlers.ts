import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { CaseDetail } from '../../shared/reviewSchemas';
import { currentCaseItemIds, insertCaseItem, listCaseItems, markCaseItemRemoved } from '../cases/caseItemsRepo';
import { localDateOf } from '../cases/caseNumber';
import {
  allocateCaseNumber,
  findCase,
  insertCase,
  listCases,
  rowToCaseFields,
  rowToCaseSummary,
  touchCase,
  updateCaseFields,
  type CaseFields,
  type CaseRow,
} from '../cases/casesRepo';
import { inTransaction } from '../db/database';
import { getItemRow, type ItemRow } from '../library/itemsRepo';
import { canonicalJson } from '../util/canonicalJson';
import { stationTimestamp } from '../util/time';
import { actorOf, type Handlers, type Services } from './services';

type CaseHandlers = Pick<
  Handlers,
  'cases.list' | 'cases.create' | 'cases.get' | 'cases.update' | 'cases.addItems' | 'cases.removeItem'
>;

/**
 * Cases: a numbered file of evidence. Every change is on the custody record with the case as its
 * subject; items are added to and removed from draft cases only, each with its own entry.
 */
export function caseHandlers(s: Services): CaseHandlers {
  const caseOrThrow = (ref: string): CaseRow => {
    const row = findCase(s.db, ref);
    if (!row) throw new AppError('case.notFound', { ref });
    return row;
  };
  const draftOrThrow = (id: string): CaseRow => {
    const row = caseOrThrow(id);
    // A sealed version is read-only in every host; reopening starts the next version as a draft.
    if (row.state === 'sealed') throw new AppError('case.sealed', { number: row.number, version: row.version });
    if (row.state !== 'draft') throw new AppError('case.notDraft', { state: row.state });
    return row;
  };
  const itemOrThrow = (id: string): ItemRow => {
    const row = getItemRow(s.db, id);
    if (!row) throw new AppError('item.notFound', { id });
    return row;
  };
  const detail = (ref: string): CaseDetail => {
    const row = caseOrThrow(ref);
    const { parties, notes } = rowToCaseFields(row);
    return { ...rowToCaseSummary(row), parties, notes, items: listCaseItems(s.db, row.id) };
  };
  const changed = (caseId: string): CaseDetail => {
    s.emit('cases.changed', { caseId });
    return detail(caseId);
  };

  return {
    'cases.list': (input) => listCases(s.db, input),
    'cases.get': (input) => detail(input.ref),
    'cases.create': (input, call) => {
      const actor = actorOf(call).name;
      const id = randomUUID();
      inTransaction(s.db, () => {
        const now = s.now();
        const { caseNumberFormat, stationName } = s.settings();
        const number = allocateCaseNumber(s.db, caseNumberFormat, { ...localDateOf(now), station: stationName });
        const entry = s.record({
          actor,
          action: 'case.create',
          subject: id,
          sha256: null,
          details: { number, ...input },
        });
        insertCase(s.db, {
          ...input,
          id,
          number,
          createdBy: actor,
          createdAt: stationTimestamp(now),
          custodySeq: entry.seq,
        });
      });
      return changed(id);
    },
    // Only a draft's description may change, like its items.
    'cases.update': (input, call) => {
      const actor = actorOf(call).name;
      const { id, ...edits } = input;
      const row = inTransaction(s.db, () => {
        const current = draftOrThrow(id);
        const before = rowToCaseFields(current);
        const after: CaseFields = { ...before, ...definedOnly(edits) };
        const diff: Record<string, { from: unknown; to: unknown }> = {};
        for (const key of Object.keys(after) as (keyof CaseFields)[]) {
          if (canonicalJson(before[key]) !== canonicalJson(after[key]))
            diff[key] = { from: before[key], to: after[key] };
        }
        if (Object.keys(diff).length === 0) return current;
        s.record({
          actor,
          action: 'case.update',
          subject: current.id,
          sha256: null,
          details: { number: current.number, changed: diff },
        });
        updateCaseFields(s.db, current.id, current.number, after, stationTimestamp(s.now()));
        return current;
      });
      return changed(row.id);
    },
    'cases.addItems': (input, call) => {
      const actor = actorOf(call).name;
      const caseId = inTransaction(s.db, () => {
        const current = draftOrThrow(input.caseId);
        const items = [...new Set(input.itemIds)].map(itemOrThrow);
        const present = currentCaseItemIds(s.db, current.id);
        const added = items.filter((item) => !present.has(item.id));
        const at = stationTimestamp(s.now());
        for (const item of added) {
          const entry = s.record({
            actor,
            action: 'case.addItem',
            subject: current.id,
            sha256: item.sha256,
            details: { number: current.number, itemId: item.id },
          });
          insertCaseItem(s.db, {
            caseId: current.id,
            itemId: item.id,
            addedBy: actor,
            addedAt: at,
            addedSeq: entry.seq,
          });
        }
        if (added.length > 0) touchCase(s.db, current.id, at);
        return current.id;
      });
      return changed(caseId);
    },
    'cases.removeItem': (input, call) => {
      const actor = actorOf(call).name;
      const caseId = inTransaction(s.db, () => {
        const current = draftOrThrow(input.caseId);
        if (!currentCaseItemIds(s.db, current.id).has(input.itemId)) {
          throw new AppError('case.itemNotInCase', { caseId: current.id, itemId: input.itemId });
        }
        const item = itemOrThrow(input.itemId);
        const at = stationTimestamp(s.now());
        const entry = s.record({
          actor,
          action: 'case.removeItem',
          subject: current.id,
          sha256: item.sha256,
          details: { number: current.number, itemId: item.id, reason: input.reason },
        });
        markCaseItemRemoved(s.db, {
          caseId: current.id,
          itemId: item.id,
          by: actor,
          at,
          reason: input.reason,
          seq: entry.seq,
        });
        touchCase(s.db, current.id, at);
        return current.id;
      });
      return changed(caseId);
    },
  };
}

/** The keys of a partial update that were given; `undefined` means "leave as is". */
function definedOnly<T extends object>(edits: T): Partial<T> {
  return Object.fromEntries(Object.entries(edits).filter(([, v]) => v !== undefined)) as Partial<T>;
}
