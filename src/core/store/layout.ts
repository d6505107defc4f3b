import { join } from 'node:path';

/**
 * Where everything lives in a data directory. Evidence (originals, read-only, named by SHA-256)
 * is kept apart from derived media (thumbnails, filmstrips, proxies), which can be rebuilt.
 */
export interface StationLayout {
  root: string;
  database: string;
  chainHead: string;
  /** The newest signed checkpoint of the chain head (the database keeps them all). */
  checkpoint: string;
  evidenceDir: string;
  derivedDir: string;
  tmpDir: string;
  logDir: string;
}

export function stationLayout(root: string): StationLayout {
  return {
    root,
    database: join(root, 'station.db'),
    chainHead: join(root, 'custody-head.json'),
    checkpoint: join(root, 'custody-checkpoint.json'),
    evidenceDir: join(root, 'evidence', 'sha256'),
    derivedDir: join(root, 'derived'),
    tmpDir: join(root, 'tmp'),
    logDir: join(root, 'logs'),
  };
}

/** `evidence/sha256/ab/cd/abcd…`: two levels of fan-out keep directories small at a million files. */
export function evidencePath(layout: StationLayout, sha256: string): string {
  return join(layout.evidenceDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

export function derivedPath(layout: StationLayout, itemId: string, file: string): string {
  return join(layout.derivedDir, itemId.slice(0, 2), itemId, file);
}
