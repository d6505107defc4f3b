import type { ItemOrigin, ItemStatus, LibraryQuery, MediaKind } from '../../../../shared/schemas';
import { dayBoundary } from '../../lib/format';

export type SortField = NonNullable<LibraryQuery['sort']>;
export type SortOrder = NonNullable<LibraryQuery['order']>;

/** The filter panel's state: strings as typed, '' meaning "any". */
export interface LibraryFilters {
  text: string;
  recordedFrom: string;
  recordedTo: string;
  deviceId: string;
  officerId: string;
  kind: MediaKind | '';
  status: ItemStatus | '';
  cameraModel: string;
  cameraSerial: string;
  origin: ItemOrigin | '';
  violationCode: string;
  tagged: 'any' | 'none' | '';
  caseId: string;
  sort: SortField;
  order: SortOrder;
}

export const EMPTY_FILTERS: LibraryFilters = {
  text: '',
  recordedFrom: '',
  recordedTo: '',
  deviceId: '',
  officerId: '',
  kind: '',
  status: '',
  cameraModel: '',
  cameraSerial: '',
  origin: '',
  violationCode: '',
  tagged: '',
  caseId: '',
  sort: 'importedAt',
  order: 'desc',
};

export type LibraryPageQuery = Omit<LibraryQuery, 'offset' | 'limit'>;

/** The query for library.query without paging; empty filters are left out rather than sent empty. */
export function toLibraryQuery(filters: LibraryFilters): LibraryPageQuery {
  const query: LibraryPageQuery = { sort: filters.sort, order: filters.order };
  const text = filters.text.trim();
  if (text) query.text = text;
  const fromDay = calendarDay(filters.recordedFrom);
  const from = fromDay && dayBoundary(fromDay, false);
  if (from) query.recordedFrom = from;
  const toDay = calendarDay(filters.recordedTo);
  const to = toDay && dayBoundary(toDay, true);
  if (to) query.recordedTo = to;
  if (filters.deviceId) query.deviceId = filters.deviceId;
  if (filters.officerId) query.officerId = filters.officerId;
  if (filters.kind) query.kind = filters.kind;
  if (filters.status) query.status = filters.status;
  if (filters.cameraModel) query.cameraModel = filters.cameraModel;
  if (filters.cameraSerial) query.cameraSerial = filters.cameraSerial;
  if (filters.origin) query.origin = filters.origin;
  if (filters.violationCode) query.violationCode = filters.violationCode;
  if (filters.tagged) query.tagged = filters.tagged;
  if (filters.caseId) query.caseId = filters.caseId;
  return query;
}

/**
 * A day as typed in a date field (`2026-03-01`, `2026-3-1`, `2026/03/01`) as `YYYY-MM-DD`, or
 * undefined while it is not a whole, real calendar day (`2026-02-30`, `2026-03`).
 */
export function calendarDay(text: string): string | undefined {
  const match = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`;
}

export function hasActiveFilters(filters: LibraryFilters): boolean {
  return Boolean(
    filters.text.trim() ||
    filters.recordedFrom ||
    filters.recordedTo ||
    filters.deviceId ||
    filters.officerId ||
    filters.kind ||
    filters.status ||
    filters.cameraModel ||
    filters.cameraSerial ||
    filters.origin ||
    filters.violationCode ||
    filters.tagged ||
    filters.caseId,
  );
}
