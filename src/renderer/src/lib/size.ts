import type { Translate } from '../i18n';

/** Human size in binary units, through the catalogue so the unit follows the language. */
export function formatSize(bytes: number | null | undefined, t: Translate): string {
  if (bytes == null) return t('common.none');
  if (bytes < 1024) return t('common.bytes', { value: bytes });
  if (bytes < 1024 ** 2) return t('common.kib', { value: (bytes / 1024).toFixed(1) });
  if (bytes < 1024 ** 3) return t('common.mib', { value: (bytes / 1024 ** 2).toFixed(1) });
  return t('common.gib', { value: (bytes / 1024 ** 3).toFixed(2) });
}
