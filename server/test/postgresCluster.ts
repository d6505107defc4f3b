import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests: Debian's binaries (found by glob under
 * /usr/lib/postgresql/<version>/bin), a fresh data folder in a temp dir, listening on a unix socket
 * in that folder only (no TCP port to collide on). initdb refuses to run as root, so as root the
 * tools run as the `postgres` user through `runuser`, with the folder handed to that user.
 */

export function findPostgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'postgres')) && existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

/** Why the PostgreSQL half of a suite cannot run here, or null when it can. */
export function postgresSkipReason(): string | null {
  if (findPostgresBin()) return null;
  return 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql; .ci/run does)';
}

export interface PostgresCluster {
  /** A new, empty database on the cluster; its connection string. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(postgresSkipReason()!);
  const root = await mkdtemp(join(tmpdir(), 'es-pg-'));
  const dataDir = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres'], false), run('id', ['-g', 'postgres'], false)]);
    await chown(root, Number(uid.trim()), Number(gid.trim()));
  }
  const tool = (name: string, args: string[]): Promise<string> => run(join(bin, name), args, asRoot);
  try {
    await tool('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    // Durability is not under test here: fsync off keeps the throwaway cluster fast.
    const serverOptions = `-k ${root} -c listen_addresses='' -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await tool('pg_ctl', ['-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '120', '-o', serverOptions, 'start']);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const url = (database: string): string => `postgresql://postgres@/${database}?host=${encodeURIComponent(root)}`;
  let stopped = false;
  return {
    async createDatabase() {
      const name = `es_test_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await tool('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

function run(command: string, args: string[], asPostgres: boolean): Promise<string> {
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(' ')} exited ${code}:\n${err}${out}`)),
    );
  });
}
