import { isAlive } from '../dataDir';
import { readAdminFile } from './adminFile';

export type AdminAnswer = { reached: true; status: number; body: unknown } | { reached: false };

/**
 * Asks the running server, if there is one: `DIR/admin.json` names it, its pid is alive, and it
 * answers. `reached: false` means no server took the call, so the command may open the database
 * itself (its folder lock still guards against a server that is only starting).
 */
export async function askRunningServer(
  dataDir: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<AdminAnswer> {
  const admin = await readAdminFile(dataDir);
  if (!admin || !isAlive(admin.pid)) return { reached: false };
  const url = new URL(path, admin.url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && !url.hostname.startsWith('127.')) {
    // The token is for loopback only; a server bound elsewhere is reached on 127.0.0.1.
    url.hostname = '127.0.0.1';
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Authorization: `Bearer ${admin.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { reached: false };
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { reached: true, status: response.status, body: parsed };
}
