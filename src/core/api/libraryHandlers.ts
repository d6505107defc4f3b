import { AppError } from '../../shared/errors';
import { listCustody } from '../custody/custodyLog';
import { inTransaction } from '../db/database';
import { jobCounts } from '../jobs/derivedRepo';
import { followSourceTime } from '../library/followSourceTime';
import { getItemDetail, insertTimeCorrection, updateRecordedAt } from '../library/itemsRepo';
import { libraryFacets, queryLibrary } from '../library/queryLibrary';
import { stationTimestamp } from '../util/time';
import { actorOf, type Handlers, type Services } from './services';

type LibraryHandlers = Pick<
  Handlers,
  'library.query' | 'library.facets' | 'items.get' | 'items.correctTime' | 'custody.list' | 'jobs.summary'
>;

export function libraryHandlers(s: Services): LibraryHandlers {
  const detail = (id: string) => {
    const item = getItemDetail(s.db, id);
    if (!item) throw new AppError('item.notFound', { id });
    return item;
  };
  return {
    'library.query': (input) => queryLibrary(s.db, input),
    'library.facets': () => libraryFacets(s.db),
    'items.get': (input) => detail(input.id),
    // The correction is a new fact on the record; the time read from the file stays as it was.
    'items.correctTime': (input, call) => {
      const actor = actorOf(call).name;
      let followed: string[] = [];
      inTransaction(s.db, () => {
        const before = detail(input.id);
        const entry = s.record({
          actor,
          action: 'item.correctTime',
          subject: input.id,
          sha256: before.sha256,
          details: { recordedAt: input.recordedAt, previous: before.recordedAt, reason: input.reason },
        });
        updateRecordedAt(s.db, input.id, input.recordedAt);
        insertTimeCorrection(s.db, {
          itemId: input.id,
          recordedAt: input.recordedAt,
          previous: before.recordedAt,
          reason: input.reason,
          by: actor,
          at: stationTimestamp(s.now()),
          custodySeq: entry.seq,
        });
        followed = followSourceTime(s.db, s.record, input.id, input.recordedAt, true, {
          actor,
          at: stationTimestamp(s.now()),
          reason: input.reason,
          batchId: null,
          scope: 'item',
          scopeRef: null,
          shiftSec: null,
          zone: null,
          sourceSeq: entry.seq,
        });
      });
      s.emit('library.changed', { itemIds: [input.id, ...followed] });
      return detail(input.id);
    },
    'custody.list': (input) => listCustody(s.db, input),
    'jobs.summary': () => jobCounts(s.db),
  };
}
