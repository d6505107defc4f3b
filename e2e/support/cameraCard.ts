import { execFile } from 'node:child_process';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { locateNpmFfmpeg } from '../../test/fixtures/generateMedia';

/** A recording for a camera card: its file name and the wall-clock time its container claims (UTC, no zone). */
export interface CardRecording {
  name: string;
  wall: string;
}

/**
 * A camera card (`<root>/DCIM/100MEDIA`) in a fresh temp folder, holding a stream copy of `source`
 * per recording with that recording's creation time: new bytes (a new hash), the same footage.
 */
export async function writeCameraCard(
  prefix: string,
  source: string,
  recordings: readonly CardRecording[],
): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const dir = join(root, 'DCIM', '100MEDIA');
  await mkdir(dir, { recursive: true });
  const ffmpeg = locateNpmFfmpeg();
  for (const recording of recordings) {
    await promisify(execFile)(ffmpeg, [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-y', '-i', source, '-c', 'copy'],
      ...['-metadata', `creation_time=${recording.wall}Z`, join(dir, recording.name)],
    ]);
  }
  return { root, dir };
}
