import { readdirSync } from 'node:fs';
import type { ReadableDB } from '../db/database';
import type { StationLayout } from './layout';
import { openStoreIntents, type OpenIntents } from './storeIntents';

const MARKER = /^([0-9a-f]{64})\.storing$/;

/**
 * What a live engine is writing now: its imports' intents (recovery clears those of dead runs at
 * start) and the `.storing` markers of clips and stills being stored.
 */
export function inFlightWork(db: ReadableDB, layout: StationLayout): OpenIntents {
  const work = openStoreIntents(db);
  let names: string[] = [];
  try {
    names = readdirSync(layout.tmpDir);
  } catch {
    names = [];
  }
  for (const name of names) {
    const sha = MARKER.exec(name)?.[1];
    if (!sha) continue;
    work.tempNames.add(name);
    work.sha256s.add(sha);
  }
  return work;
}
