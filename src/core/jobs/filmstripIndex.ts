import { dirname, join } from 'node:path';
import { FilmstripIndex } from '../../shared/schemas';
import type { ReadableDB, WritableDB } from '../db/database';
import { FILMSTRIP_INDEX_FILE, filmstripSheetFile } from '../media/derive/filmstrip';
import type { StationLayout } from '../store/layout';

/**
 * Where an item's filmstrip is, read from its derived row: the index (tile size, grid, sheet count
 * and the media time of every tile, which is also the recording's keyframe list) is kept in the
 * row's provenance, so reading it costs no file access. Filmstrips of the first format (one sprite
 * of 20 tiles, `filmstrip.jpg`) have no index: they read as absent and are made again.
 */

interface FilmstripRow {
  file: string | null;
  provenance: string | null;
}

/** The item's filmstrip index, or null while there is none in the current format. */
export function readFilmstripIndex(db: ReadableDB, itemId: string): FilmstripIndex | null {
  const row = db
    .prepare(`SELECT file, provenance FROM derived WHERE item_id = ? AND variant = 'filmstrip' AND state = 'ready'`)
    .get(itemId) as FilmstripRow | undefined;
  if (!row?.file?.endsWith(`/${FILMSTRIP_INDEX_FILE}`) || !row.provenance) return null;
  const parsed = FilmstripIndex.safeParse(JSON.parse(row.provenance));
  return parsed.success ? parsed.data : null;
}

/**
 * Absolute path of sheet `part` of the item's filmstrip, or null when there is no such sheet
 * (no filmstrip in the current format, or `part` past the last sheet).
 */
export function filmstripSheetPath(db: ReadableDB, layout: StationLayout, itemId: string, part: number): string | null {
  const row = db
    .prepare(`SELECT file, provenance FROM derived WHERE item_id = ? AND variant = 'filmstrip' AND state = 'ready'`)
    .get(itemId) as FilmstripRow | undefined;
  const index = readFilmstripIndex(db, itemId);
  if (!row?.file || !index || !Number.isInteger(part) || part < 0 || part >= index.sheets) return null;
  return join(layout.derivedDir, dirname(row.file), filmstripSheetFile(part));
}

/**
 * Sends filmstrips of the first format back to the queue, so they are made again as keyframe
 * sheets. Called when the engine opens, before the runner starts; returns how many were queued.
 */
export function requeueOutdatedFilmstrips(db: WritableDB): number {
  return db
    .prepare(
      `UPDATE derived SET state = 'pending', attempts = 0, error = NULL
       WHERE variant = 'filmstrip' AND state = 'ready' AND (file IS NULL OR file NOT LIKE ?)`,
    )
    .run(`%/${FILMSTRIP_INDEX_FILE}`).changes;
}
