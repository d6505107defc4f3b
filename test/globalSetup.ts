import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { generateMediaFixtures } from './fixtures/generateMedia';
import { buildNode } from '../scripts/buildNode.mjs';
import { checkNodeBuild } from '../scripts/nodeBuildStamp.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder holding every file of `MEDIA_FIXTURES` (test/fixtures/generateMedia.ts). */
    mediaFixturesDir: string;
  }
}

/**
 * Builds out/node when its sources changed (tests that start the CLI or the server as a process
 * run that build, as the package's bin does), and generates the media fixtures once per Vitest
 * run. The fixtures' folder is stable across runs and keyed by the recipes, so a rerun with
 * unchanged recipes reuses it in milliseconds.
 */
export default async function setup(project: TestProject): Promise<void> {
  if (!checkNodeBuild().fresh) await buildNode({ quiet: true });
  const dir = path.join(tmpdir(), 'evidence-station-media-fixtures');
  await generateMediaFixtures(dir);
  project.provide('mediaFixturesDir', dir);
  process.env.MEDIA_FIXTURES_DIR = dir;
}
