import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { generateMediaFixtures } from './fixtures/generateMedia';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder holding every file of `MEDIA_FIXTURES` (test/fixtures/generateMedia.ts). */
    mediaFixturesDir: string;
  }
}

/**
 * Generates the media fixtures once per Vitest run. The folder is stable across runs and keyed by
 * the recipes, so a rerun with unchanged recipes reuses it in milliseconds.
 */
export default async function setup(project: TestProject): Promise<void> {
  const dir = path.join(tmpdir(), 'evidence-station-media-fixtures');
  await generateMediaFixtures(dir);
  project.provide('mediaFixturesDir', dir);
  process.env.MEDIA_FIXTURES_DIR = dir;
}
