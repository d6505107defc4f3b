import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every custody append of the engine passes the before-append check: `appendCustody` is called
 * only by the guard (`guardedAppend.ts`). A module that called it directly would append without
 * comparing the head file and the database first, as imports once did.
 */

const SRC = fileURLToPath(new URL('../../', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('the custody append guard', () => {
  it('is the only caller of appendCustody in the shipped sources', async () => {
    const callers: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      if (/\bappendCustody\s*\(/.test(await readFile(file, 'utf8'))) callers.push(relative(SRC, file));
    }
    expect(callers.sort()).toEqual(['core/custody/custodyLog.ts', 'core/custody/guardedAppend.ts']);
  });
});
