import { AppError } from '../../shared/errors';
import { parseEnrolCode } from '../../shared/syncProtocol';
import type { SyncEnrolment } from '../../shared/syncSchemas';
import type { Services } from '../api/services';
import { inTransaction } from '../db/database';
import { parseEd25519PublicKey } from '../keys/parsePublicKey';
import { insertEnrolment, readEnrolment } from './enrolmentRepo';
import { queueApprovedVersions } from './queueVersion';
import { fetchServerKey, postEnrol } from './serverClient';
import { SyncFailure } from './syncFailure';

/**
 * Enrols the station with a central server (`sync.enrol`, `enrol <server-url> <code>`;
 * PROTOCOL.md, "Keys and enrolment"). The code carries the server key's fingerprint, so the key
 * fetched over the network — plain HTTP included — is pinned only when it is the one the operator
 * printed. The station sends its public key; the private key never leaves the engine. Versions
 * approved before now are queued in the same transaction as the enrolment.
 */

export type EnrolServices = Pick<Services, 'db' | 'record' | 'now' | 'stationId' | 'stationKey' | 'settings' | 'log'>;

function unreachable(serverUrl: string, error: unknown): AppError {
  const reason = error instanceof SyncFailure ? error.detail : error instanceof Error ? error.message : String(error);
  return new AppError('sync.unreachable', { url: serverUrl, reason });
}

export async function enrolStation(
  s: EnrolServices,
  input: { serverUrl: string; code: string },
  actor: string,
): Promise<SyncEnrolment> {
  const existing = readEnrolment(s.db);
  if (existing) throw new AppError('sync.alreadyEnrolled', { url: existing.serverUrl });
  const code = parseEnrolCode(input.code);
  if (!code) throw new AppError('enrol.codeMalformed');
  const serverUrl = input.serverUrl.trim().replace(/\/+$/, '');

  let served: { publicKeyPem: string; fingerprint: string };
  try {
    served = parseEd25519PublicKey(await fetchServerKey(serverUrl));
  } catch (error) {
    if (error instanceof AppError && error.code === 'key.invalid')
      throw new AppError('enrol.serverKeyMismatch', {
        expected: code.serverKeyFingerprint,
        found: 'not an Ed25519 key',
      });
    if (error instanceof SyncFailure && error.code !== 'network')
      throw new AppError('sync.serverRefused', { url: serverUrl, code: error.code, reason: error.detail });
    throw unreachable(serverUrl, error);
  }
  if (served.fingerprint !== code.serverKeyFingerprint)
    throw new AppError('enrol.serverKeyMismatch', { expected: code.serverKeyFingerprint, found: served.fingerprint });

  let answer;
  try {
    answer = await postEnrol(serverUrl, {
      code: input.code.trim(),
      stationId: s.stationId,
      stationName: s.settings().stationName,
      publicKeyPem: s.stationKey.publicKeyPem,
    });
  } catch (error) {
    if (error instanceof SyncFailure && (error.code === 'enrol.codeInvalid' || error.code === 'enrol.stationExists'))
      throw new AppError(error.code, { url: serverUrl });
    if (error instanceof SyncFailure && error.code !== 'network')
      throw new AppError('sync.serverRefused', { url: serverUrl, code: error.code, reason: error.detail });
    throw unreachable(serverUrl, error);
  }
  if (answer.serverKeyFingerprint !== served.fingerprint || answer.stationId !== s.stationId)
    throw new AppError('enrol.serverKeyMismatch', { expected: served.fingerprint, found: answer.serverKeyFingerprint });

  return inTransaction(s.db, () => {
    const entry = s.record({
      actor,
      action: 'sync.enrol',
      subject: null,
      sha256: null,
      details: {
        serverUrl,
        serverKeyFingerprint: served.fingerprint,
        stationId: s.stationId,
        stationKeyFingerprint: s.stationKey.fingerprint,
      },
    });
    const enrolment = {
      serverUrl,
      serverKeyPem: served.publicKeyPem,
      serverKeyFingerprint: served.fingerprint,
      enrolledAt: entry.at,
      enrolledBy: actor,
    };
    insertEnrolment(s.db, { ...enrolment, custodySeq: entry.seq });
    queueApprovedVersions(s, actor, (key, error) =>
      s.log.error('an approved version is not queued: its approval is not on record', { ...key, ...error.params }),
    );
    return {
      serverUrl,
      serverKeyFingerprint: served.fingerprint,
      enrolledAt: entry.at,
      enrolledBy: actor,
    };
  });
}
