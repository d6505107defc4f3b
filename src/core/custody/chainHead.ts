import { readFileSync } from 'node:fs';
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

/** The head file as found: absent, not a head (with what it held), or a head. */
export type HeadFileState =
  | { state: 'missing' }
  | { state: 'unreadable'; text: string; reason: string }
  | { state: 'ok'; head: ChainHead; text: string };

/** Reads the head file without trusting it: a damaged file is a finding, not a crash. */
export async function readHeadFile(file: string): Promise<HeadFileState> {
  try {
    return parseHeadText(await readFile(file, 'utf8'));
  } catch (error) {
    return unreadHead(error);
  }
}

/**
 * The same, synchronously: the check before an append runs inside the appending transaction, and
 * the file is a few dozen bytes.
 */
export function readHeadFileSync(file: string): HeadFileState {
  try {
    return parseHeadText(readFileSync(file, 'utf8'));
  } catch (error) {
    return unreadHead(error);
  }
}

function unreadHead(error: unknown): HeadFileState {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return { state: 'missing' };
  return { state: 'unreadable', text: '', reason: String(code ?? error) };
}

function parseHeadText(text: string): HeadFileState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: 'unreadable', text: text.slice(0, 1000), reason: 'not JSON' };
  }
  const parsed = ChainHead.safeParse(json);
  if (!parsed.success) return { state: 'unreadable', text: text.slice(0, 1000), reason: 'not a chain head' };
  return { state: 'ok', head: parsed.data, text };
}

/** The head, or null when the file is absent; throws when it is not a head. */
export async function readChainHead(file: string): Promise<ChainHead | null> {
  const found = await readHeadFile(file);
  if (found.state === 'unreadable') throw new Error(`the chain head file is unreadable: ${found.reason}`);
  return found.state === 'ok' ? found.head : null;
}

export function headFileText(head: ChainHead): string {
  return `${JSON.stringify(head)}\n`;
}

export async function writeChainHead(file: string, head: ChainHead): Promise<void> {
  await writeFileAtomic(file, headFileText(head));
}
