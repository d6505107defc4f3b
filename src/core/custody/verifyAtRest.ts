import { existsSync } from 'node:fs';
import { AppError } from '../../shared/errors';
import type { ChainVerdict } from '../../shared/schemas';
import { newestKeyCreation } from '../keys/recordKeyCreation';
import { keyPaths, loadStationKey } from '../keys/stationKey';
import type { StationAtRest } from '../station/stationAtRest';
import { latestTaxonomyVersion } from '../taxonomy/taxonomyRepo';
import { readHeadFile } from './chainHead';
import { verifyCheckpoints } from './checkpoints';
import { compareHead } from './compareHead';
import { verifyCustody } from './verifyCustody';

/**
 * `custody.verify` on a station at rest, with no engine: the same checks on the same records
 * (every entry's hash and link, the head file, the recorded problems, every checkpoint's
 * signature, items against their entries), so the same verdict.
 *
 * Null when an engine's start would change what there is to verify first: the head file differs
 * from the database (the engine records that as a problem or a note before anything else, and
 * `log verify` reports the record), the key's creation or the default catalogue is not on the
 * chain yet (the engine appends them). The caller then verifies through the engine. A key whose
 * files are damaged or disagree with the chain is refused with `key.damaged`, as the engine's
 * start refuses it.
 */
export async function verifyCustodyAtRest(station: StationAtRest): Promise<ChainVerdict | null> {
  const { db, layout } = station;
  const paths = keyPaths(layout.root);
  // The engine makes a key for a station that never had one; one that signed before is refused.
  if (!existsSync(paths.record)) return null;
  const key = await loadStationKey(paths, {});
  const head = await readHeadFile(layout.chainHead);
  if (compareHead(db, head) !== null) return null;
  if (latestTaxonomyVersion(db) === null) return null;
  const recorded = newestKeyCreation(db);
  if (recorded === null) return null;
  if (recorded.fingerprint !== key.fingerprint) {
    throw new AppError('key.damaged', { folder: paths.dir, file: 'station.pub.pem' });
  }
  const checkpoints = await verifyCheckpoints(db, { publicKeyPem: key.publicKeyPem, file: layout.checkpoint });
  return verifyCustody(db, head, checkpoints);
}
