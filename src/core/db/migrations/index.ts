import type { WritableDB } from '../database';
import { m0010Initial } from './m0010_initial';
import { m0020LibraryIndexes } from './m0020_library_indexes';
import { m0030Review } from './m0030_review';
import { m0040Seal } from './m0040_seal';
import { m0050Accounts } from './m0050_accounts';
import { m0060CustodyGuard } from './m0060_custody_guard';
import { m0070StoreIntents } from './m0070_store_intents';
import { m0080QuarantineOutcome } from './m0080_quarantine_outcome';
import { m0090VersionReview } from './m0090_version_review';
import { m0100SyncOutbox } from './m0100_sync_outbox';
import { m0110CameraIdentity } from './m0110_camera_identity';
import { m0112DerivedProblem } from './m0112_derived_problem';
import { m0113ItemCount } from './m0113_item_count';
import { m0111BatchWork } from './m0111_batch_work';

export interface Migration {
  version: number;
  update(db: WritableDB): void;
  /** Rebuilds tables that others reference: runs with foreign keys off and checks them all before commit. */
  rebuildsTables?: boolean;
}

/** Ordered; versions rise in steps of 10 so a fix can slot in between. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 10, update: m0010Initial },
  { version: 20, update: m0020LibraryIndexes },
  { version: 30, update: m0030Review, rebuildsTables: true },
  { version: 40, update: m0040Seal },
  { version: 50, update: m0050Accounts },
  { version: 60, update: m0060CustodyGuard },
  { version: 70, update: m0070StoreIntents },
  { version: 80, update: m0080QuarantineOutcome },
  { version: 90, update: m0090VersionReview, rebuildsTables: true },
  { version: 100, update: m0100SyncOutbox },
  { version: 110, update: m0110CameraIdentity },
  { version: 111, update: m0111BatchWork },
  { version: 112, update: m0112DerivedProblem },
  { version: 113, update: m0113ItemCount },
];
