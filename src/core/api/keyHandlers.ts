import { AppError } from '../../shared/errors';
import { inTransaction } from '../db/database';
import { parseEd25519PublicKey } from '../keys/parsePublicKey';
import { insertTrustedKey, listTrustedKeys, trustedKeyExists } from '../keys/trustedKeysRepo';
import { stationTimestamp } from '../util/time';
import { actorOf, type Handlers, type Services } from './services';

type KeyMethods = 'station.key' | 'keys.list' | 'keys.import';

/** The station's own public key, and the public keys of the office's other stations. */
export function keyHandlers(s: Services): Pick<Handlers, KeyMethods> {
  return {
    'station.key': () => s.stationKey.info(),
    'keys.list': () => listTrustedKeys(s.db),
    'keys.import': (input, call) => {
      const actor = actorOf(call).name;
      const { publicKeyPem, fingerprint } = parseEd25519PublicKey(input.publicKeyPem);
      if (fingerprint === s.stationKey.fingerprint) throw new AppError('key.exists', { fingerprint });
      return inTransaction(s.db, () => {
        if (trustedKeyExists(s.db, fingerprint)) throw new AppError('key.exists', { fingerprint });
        const importedAt = stationTimestamp(s.now());
        const entry = s.record({
          actor,
          action: 'key.import',
          subject: null,
          sha256: null,
          details: { fingerprint, label: input.label, publicKeyPem },
        });
        const key = { fingerprint, label: input.label, publicKeyPem, importedBy: actor, importedAt };
        insertTrustedKey(s.db, { ...key, custodySeq: entry.seq });
        return key;
      });
    },
  };
}
