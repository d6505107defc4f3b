import type { ItemSummary, LibraryQuery } from '../../shared/schemas';
import type { LibraryQuery as LibraryQuerySchema } from '../../shared/schemas';
import type { z } from 'zod';
import type { ReadableDB } from '../db/database';
import { rowToSummary, type ItemRow } from './itemsRepo';

type ParsedQuery = z.output<typeof LibraryQuerySchema>;

const SORT_COLUMNS: Record<ParsedQuery['sort'], string> = {
  recordedAt: 'i.recorded_at_utc',
  importedAt: 'i.imported_at',
  name: 'i.original_name',
  size: 'i.size',
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One page of the library and the total that matches. Every filter is a bound parameter; the
 * column names come from the fixed table above, never from input.
 */
export function queryLibrary(db: ReadableDB, q: ParsedQuery): { items: ItemSummary[]; total: number } {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: q.limit, offset: q.offset };
  if (q.text?.trim()) {
    where.push(`i.search_text LIKE @text ESCAPE '\\'`);
    params.text = `%${escapeLike(q.text.trim().toLowerCase())}%`;
  }
  if (q.recordedFrom) {
    where.push('i.recorded_at_utc >= @from');
    params.from = new Date(q.recordedFrom).toISOString();
  }
  if (q.recordedTo) {
    where.push('i.recorded_at_utc <= @to');
    params.to = new Date(q.recordedTo).toISOString();
  }
  if (q.deviceId) {
    where.push('i.device_id = @device');
    params.device = q.deviceId;
  }
  if (q.officerId) {
    where.push('i.officer_id = @officer');
    params.officer = q.officerId;
  }
  if (q.kind) {
    where.push('i.kind = @kind');
    params.kind = q.kind;
  }
  if (q.status) {
    where.push('i.status = @status');
    params.status = q.status;
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const order = `${SORT_COLUMNS[q.sort]} ${q.order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, i.id`;
  const total = (db.prepare(`SELECT count(*) AS n FROM items i ${clause}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT i.*, d.state AS thumbnail_state FROM items i
       LEFT JOIN derived d ON d.item_id = i.id AND d.variant = 'thumbnail'
       ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all(params) as ItemRow[];
  return { items: rows.map(rowToSummary), total };
}

export function libraryFacets(db: ReadableDB): { deviceIds: string[]; officerIds: string[] } {
  const column = (name: 'device_id' | 'officer_id'): string[] =>
    (
      db.prepare(`SELECT DISTINCT ${name} AS v FROM items WHERE ${name} IS NOT NULL ORDER BY ${name}`).all() as {
        v: string;
      }[]
    ).map((r) => r.v);
  return { deviceIds: column('device_id'), officerIds: column('officer_id') };
}

export type { LibraryQuery };
