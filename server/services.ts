import type { DatabaseKind } from './db/open';
import type { Sql } from './db/sql';
import type { ServerKey } from './keys/serverKey';
import type { ServerLog } from './log';

/**
 * Everything a route may use, passed in at start. The process keeps no other state: two instances
 * on one PostgreSQL and one shared `DIR` answer alike.
 */
export interface ServerServices {
  sql: Sql;
  databaseKind: DatabaseKind;
  dataDir: string;
  serverKey: ServerKey;
  /** The server's clock: every stored time and every expiry is measured by it, never a station's. */
  clock: () => Date;
  log: ServerLog;
  /** The bearer token of this run's `/admin/*` routes (also in `DIR/admin.json`). */
  adminToken: string;
}
