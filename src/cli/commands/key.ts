import { readFile } from 'node:fs/promises';
import { groupFingerprint } from '../../core/keys/fingerprint';
import { readStationKeyTrust } from '../../core/keys/knownKeys';
import { keyPaths } from '../../core/keys/stationKey';
import { AppError } from '../../shared/errors';
import { resolveDataDir } from '../../core/station/dataDir';
import type { StationKeyInfo } from '../../shared/sealSchemas';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

interface KeyArgs {
  sub: string | undefined;
  refs: string[];
  label: string | undefined;
}

const USAGE = 'usage: key show [--json] | key list [--json] | key import FILE --label LABEL';

/**
 * `key show` reads the public key straight from the data directory (no engine, no sign-in: it is
 * public, and reading it must not depend on the private key's passphrase); `key list` and
 * `key import` go through the engine (import is an admin's act on the custody record).
 */
export async function runKey(opts: GlobalOptions, args: KeyArgs): Promise<number> {
  if (args.sub === 'show') {
    if (args.refs.length > 0) throw new UsageError('usage: key show [--json]');
    return showKey(opts);
  }
  if (args.sub === 'list') {
    if (args.refs.length > 0) throw new UsageError('usage: key list [--json]');
  } else if (args.sub === 'import') {
    if (args.refs.length !== 1 || !args.label?.trim()) throw new UsageError('usage: key import FILE --label LABEL');
  } else {
    throw new UsageError(USAGE);
  }
  const pem = args.sub === 'import' ? await readFile(args.refs[0]!, 'utf8') : null;
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    if (pem !== null) {
      const key = await station.call('keys.import', { publicKeyPem: pem, label: args.label! });
      process.stdout.write(
        opts.json ? `${JSON.stringify(key)}\n` : `imported ${key.label}\n${groupFingerprint(key.fingerprint)}\n`,
      );
      return 0;
    }
    const keys = await station.call('keys.list', {});
    if (opts.json) process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
    else if (keys.length === 0) process.stdout.write('no keys of other stations imported\n');
    else {
      for (const k of keys) {
        process.stdout.write(
          `${groupFingerprint(k.fingerprint)}  ${escapeForTerminal(k.label)}  (${escapeForTerminal(k.importedBy)}, ${k.importedAt})\n`,
        );
      }
    }
    return 0;
  } finally {
    await station.close();
  }
}

async function showKey(opts: GlobalOptions): Promise<number> {
  const dataDir = resolveDataDir(opts.data);
  // The public key file alone proves nothing (anyone who can write the folder can replace it):
  // it is shown only when the key record, the private key and the custody log agree with it.
  const trust = await readStationKeyTrust(dataDir);
  if (!trust.trusted && trust.absent)
    throw new UsageError(`no station key in ${escapeForTerminal(dataDir)}: run "init --admin NAME" first`);
  if (!trust.trusted) {
    for (const problem of trust.problems) process.stderr.write(`${escapeForTerminal(problem)}\n`);
    throw new AppError('key.damaged', { folder: keyPaths(dataDir).dir, file: 'station.pub.pem' });
  }
  const protection = (['safeStorage', 'passphrase', 'fileMode'] as const).find((p) => p === trust.protection);
  if (!protection) throw new AppError('key.damaged', { folder: keyPaths(dataDir).dir, file: 'station.json' });
  const { publicKeyPem, fingerprint } = trust;
  const info: StationKeyInfo = {
    publicKeyPem,
    fingerprint,
    fingerprintGrouped: groupFingerprint(fingerprint),
    protection,
  };
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(info)}\n`
      : `${publicKeyPem.trimEnd()}\n\nfingerprint (SHA-256 of the public key, SPKI DER):\n${info.fingerprintGrouped}\nprotected by: ${protection}\n`,
  );
  return 0;
}
