import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { TaxonomyUpdate } from '../../shared/reviewSchemas';
import type { CustodyEntry } from '../../shared/schemas';
import type { AppendEntry } from '../custody/guardedAppend';
import { inTransaction, type WritableDB } from '../db/database';
import { insertTaxonomyVersion, latestTaxonomyVersion } from './taxonomyRepo';

/** The catalogue a new station starts with, relative to the resources folder. */
export const DEFAULT_TAXONOMY_FILE = join('taxonomy', 'default.json');

/** A default catalogue that is missing or does not match the schema: the station cannot start. */
export class DefaultTaxonomyError extends Error {
  constructor(path: string, problem: string, options?: { cause?: unknown }) {
    super(`the default violation catalogue ${path} cannot be used: ${problem}`, options);
    this.name = 'DefaultTaxonomyError';
  }
}

/**
 * The checkout's `resources/` folder, found by walking up from this module: it sits three levels
 * up from the source file (src/core/taxonomy) and two from the bundle (out/main). A packaged app
 * passes its own folder (electron-builder `extraResources`) as the engine's `resourcesDir`.
 */
export function defaultResourcesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'resources');
    if (existsSync(join(candidate, DEFAULT_TAXONOMY_FILE))) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'resources');
}

/** Reads and validates the default catalogue; throws `DefaultTaxonomyError` naming the file and the problem. */
export async function readDefaultTaxonomy(
  resourcesDir: string,
): Promise<{ path: string; sha256: string; catalogue: z.output<typeof TaxonomyUpdate> }> {
  const path = join(resourcesDir, DEFAULT_TAXONOMY_FILE);
  const bytes = await readFile(path).catch((error: unknown) => {
    throw new DefaultTaxonomyError(path, (error as Error).message, { cause: error });
  });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new DefaultTaxonomyError(path, `not JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = TaxonomyUpdate.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DefaultTaxonomyError(path, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), catalogue: parsed.data };
}

/**
 * Installs the default catalogue as version 1 when the station has none yet, in one transaction
 * with its custody entry (`taxonomy.install`, by the station itself). Returns the entry, or null
 * when a catalogue was already there; the file is only read on a station's first start.
 */
export async function installDefaultTaxonomy(
  db: WritableDB,
  opts: { resourcesDir: string; at: string; station: string; append: AppendEntry },
): Promise<CustodyEntry | null> {
  if (latestTaxonomyVersion(db) !== null) return null;
  const { sha256, catalogue } = await readDefaultTaxonomy(opts.resourcesDir);
  return inTransaction(db, () => {
    if (latestTaxonomyVersion(db) !== null) return null;
    const entry = opts.append({
      at: opts.at,
      station: opts.station,
      actor: 'station',
      action: 'taxonomy.install',
      subject: null,
      sha256: null,
      details: {
        version: 1,
        file: DEFAULT_TAXONOMY_FILE,
        fileSha256: sha256,
        codes: catalogue.types.map((t) => t.code),
      },
    });
    insertTaxonomyVersion(
      db,
      { version: 1, createdAt: opts.at, createdBy: 'station', note: catalogue.note, custodySeq: entry.seq },
      catalogue.types,
    );
    return entry;
  });
}
