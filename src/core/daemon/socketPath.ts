import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Unix socket paths are limited to about 104 bytes (macOS) or 108 (Linux), the NUL included. */
const MAX_UNIX_SOCKET_PATH = 100;

/**
 * Where the engine that owns `dataDir` listens. On Unix a socket inside the data directory (0700),
 * so only the station's OS user can reach it; a data directory too deep for a socket path gets one
 * in the temp folder named after the directory, created 0600. On Windows a named pipe, whose
 * default security admits only the creating user (and administrators).
 */
export function engineSocketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 24);
  if (platform === 'win32') return `\\\\.\\pipe\\evidence-station-${tag}`;
  const inside = join(dataDir, 'engine.sock');
  if (Buffer.byteLength(inside) <= MAX_UNIX_SOCKET_PATH) return inside;
  return join(tmpdir(), `evidence-station-${tag}.sock`);
}
