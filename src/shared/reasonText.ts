import type { ImportReasonCode } from './schemas';

/**
 * Plain English for import outcomes, for the CLI and machine-readable records. The UI shows its
 * own translated text for the same codes (zh-CN and English).
 */
export const IMPORT_REASON_TEXT: Record<ImportReasonCode, string> = {
  empty: 'the file is empty (0 bytes)',
  notMedia: 'not a video, audio or photo file',
  probeFailed: 'stored and hashed, but its media could not be read',
  unreadable: 'the file could not be read',
  permissionDenied: 'permission to read the file was denied',
  vanished: 'the file disappeared or was cut short while it was being read',
  changedDuringRead: 'the file changed while it was being read',
  diskFull: 'the station disk is full',
  copyMismatch: 'the stored copy did not match the source when re-read',
  cancelled: 'the import was cancelled before this file',
  storeError: 'the copy could not be written to the store',
};
