import Database from 'better-sqlite3';
import { queryLibrary } from '../../src/core/library/queryLibrary';
import { stationLayout } from '../../src/core/store/layout';
import { LibraryQuery } from '../../src/shared/schemas';

/**
 * One page of the library as the engine answers it, read on a separate read-only connection (a
 * host may hold the database open meanwhile). Tests use it to know what the UI should show.
 */
export function readLibraryPage(dataDir: string, query: LibraryQuery): { total: number; names: string[] } {
  const db = new Database(stationLayout(dataDir).database, { readonly: true });
  try {
    const page = queryLibrary(db, LibraryQuery.parse(query));
    return { total: page.total, names: page.items.map((item) => item.originalName) };
  } finally {
    db.close();
  }
}
