import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomicWrite';

/**
 * The newest seq and hash of the custody chain, kept in a file beside the database. A chain whose
 * newest entries were removed is still a valid chain; only a copy of its head kept elsewhere shows
 * that it became shorter.
 */
export const ChainHead = z.object({ seq: z.number().int().nonnegative(), hash: z.string() });
export type ChainHead = z.infer<typeof ChainHead>;

export async function readChainHead(file: string): Promise<ChainHead | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return ChainHead.parse(JSON.parse(text));
}

export async function writeChainHead(file: string, head: ChainHead): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(head)}\n`);
}
