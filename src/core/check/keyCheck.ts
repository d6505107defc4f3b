import { join } from 'node:path';
import type { CheckProblem } from '../../shared/custodySchemas';
import type { ReadableDB } from '../db/database';
import { inspectStationKeyFiles, stationKeyAnchorProblems, trustedKeyProblems } from '../keys/keyTrust';

/**
 * `check`'s look at the keys, without the passphrase: the station key's files are there, closed
 * to others and agree with each other and with the `key.create` entry (a deleted private key
 * otherwise shows only when something must be signed, and checkpoints quietly wait); and every
 * imported key was imported by a `key.import` entry that still verifies. The checkpoints'
 * signatures are checked with the custody chain (verifyCheckpoints).
 */
export async function checkKeys(db: ReadableDB, dataDir: string): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  const files = await inspectStationKeyFiles(dataDir);
  if (files.absent) {
    problems.push({
      kind: 'key',
      sha256: null,
      itemId: null,
      seq: null,
      path: 'keys',
      detail: 'the station has no key: nothing can be sealed or checkpointed',
    });
  }
  for (const p of files.problems) {
    problems.push({ kind: 'key', sha256: null, itemId: null, seq: null, path: join('keys', p.file), detail: p.detail });
  }
  if (files.fingerprint && files.publicKeyPem) {
    const anchors = stationKeyAnchorProblems(db, files.fingerprint, files.publicKeyPem, { withCheckpoints: false });
    for (const detail of anchors) {
      problems.push({
        kind: 'key',
        sha256: null,
        itemId: null,
        seq: null,
        path: join('keys', 'station.pub.pem'),
        detail,
      });
    }
  }
  for (const p of trustedKeyProblems(db).problems) {
    problems.push({ kind: 'trustedKey', sha256: null, itemId: null, seq: p.seq, path: null, detail: p.detail });
  }
  return problems;
}
