import type { Migration } from './migration';
import { m001Foundation } from './m001_foundation';
import { m002UploadsReceipts } from './m002_uploads_receipts';
import { m003BlobPossession } from './m003_blob_possession';

/**
 * Every migration, oldest first: append the next one (its own file, `mNNN_name.ts`) at the end.
 * Versions rise by one; `migrate` refuses a list that does not.
 */
export const MIGRATIONS: readonly Migration[] = [m001Foundation, m002UploadsReceipts, m003BlobPossession];
