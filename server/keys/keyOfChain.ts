import { access } from 'node:fs/promises';
import { ServerMessageError } from '../commands/messages';
import type { Sql } from '../db/sql';
import { serverKeyPaths } from './serverKey';

/** The newest receipt of the chain: its seq and the fingerprint of the key that signed it. */
async function newestReceiptKey(sql: Sql): Promise<{ seq: number; fingerprint: string } | null> {
  const [row] = await sql.query<{ seq: number; json: string }>(
    'SELECT seq, json FROM receipts ORDER BY seq DESC LIMIT 1',
  );
  if (!row) return null;
  const parsed = JSON.parse(row.json) as { serverKeyFingerprint?: unknown };
  return { seq: Number(row.seq), fingerprint: String(parsed.serverKeyFingerprint) };
}

/**
 * Before the server loads (or makes) its key: a database that holds receipts was signed for by a
 * key the enrolled stations pinned. With `DIR/keys` lost, or this database beside another
 * server's keys, a new or other key would sign receipt n+1 naming receipt n that it never signed,
 * and every station would refuse it. Refused, naming the key the chain needs.
 */
export async function refuseKeyMissingForChain(sql: Sql, dataDir: string): Promise<void> {
  const newest = await newestReceiptKey(sql);
  if (!newest) return;
  const { privateKey, dir } = serverKeyPaths(dataDir);
  const present = await access(privateKey).then(
    () => true,
    () => false,
  );
  if (!present)
    throw new ServerMessageError('key.lostForChain', { dir, seq: newest.seq, fingerprint: newest.fingerprint });
}

/** After the key is loaded: it must be the key that signed the newest receipt. */
export async function refuseKeyNotTheChains(sql: Sql, fingerprint: string): Promise<void> {
  const newest = await newestReceiptKey(sql);
  if (newest && newest.fingerprint !== fingerprint)
    throw new ServerMessageError('key.notTheChains', {
      found: fingerprint,
      expected: newest.fingerprint,
      seq: newest.seq,
    });
}
