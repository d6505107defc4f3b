import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../src/core/store/atomicWrite';

/**
 * `DIR/admin.json` (mode 0600): how the server's own commands reach the running server, which
 * holds the embedded database. The token is new at every start and good only from loopback.
 */
export const AdminFile = z.object({
  pid: z.number().int().positive(),
  url: z.string().url(),
  token: z.string().regex(/^[0-9a-f]{64}$/),
});
export type AdminFile = z.infer<typeof AdminFile>;

export function adminFilePath(dataDir: string): string {
  return join(dataDir, 'admin.json');
}

export async function writeAdminFile(dataDir: string, value: AdminFile): Promise<void> {
  await writeFileAtomic(adminFilePath(dataDir), `${JSON.stringify(value)}\n`);
}

export async function readAdminFile(dataDir: string): Promise<AdminFile | null> {
  const text = await readFile(adminFilePath(dataDir), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = AdminFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Removes the file if it is still this process's (another instance may have written it since). */
export async function removeAdminFile(dataDir: string, pid: number): Promise<void> {
  const current = await readAdminFile(dataDir);
  if (current && current.pid !== pid) return;
  await rm(adminFilePath(dataDir), { force: true });
}
