import type { Translate } from '../../i18n';
import { formatInstant } from '../../lib/format';

/** The engine's own name in custody and version records (the default catalogue is installed by it). */
const STATION_ACTOR = 'station';

interface VersionLike {
  version: number;
  createdBy: string;
  createdAt: string;
  note: string;
}

/**
 * Who saved a catalogue version, in words. The default catalogue is installed by the station
 * itself, not by a person: "saved by station" read as an account name, so it says "installed with
 * the station" instead.
 */
export function versionMeta(t: Translate, v: VersionLike): string {
  const at = formatInstant(v.createdAt) ?? '';
  return isDefaultInstall(v)
    ? t('taxonomy.versionMetaStation', { at })
    : t('taxonomy.versionMeta', { by: v.createdBy, at });
}

/**
 * The version's change note. The default catalogue's note is stored as shipped (English, in the
 * database and its custody entry); the screen shows its translation in the UI's language.
 */
export function versionNote(t: Translate, v: VersionLike): string {
  return isDefaultInstall(v) ? t('taxonomy.defaultNote') : v.note;
}

function isDefaultInstall(v: VersionLike): boolean {
  return v.version === 1 && v.createdBy === STATION_ACTOR;
}
