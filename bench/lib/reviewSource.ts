import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaTools } from '../../src/core/media/tools/binaries';
import { runTimed } from './shell';

/**
 * The recording the review figures share: 10 minutes of 1080p25 H.264 (High, yuv420p, B-frames)
 * with a keyframe every 2 seconds exactly, plus AAC audio, like a body-cam file. Making it takes a
 * few minutes on two cores, so it is kept in `.bench/cache` (outside the per-figure temporary
 * directories), named by the ffmpeg version and the spec, and reused by later runs.
 */
export const REVIEW_SOURCE_SPEC = {
  durationSec: 600,
  width: 1920,
  height: 1080,
  fps: 25,
  keyframeIntervalSec: 2,
} as const;

const QUICK_DURATION_SEC = 60;
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ReviewSource {
  path: string;
  durationSec: number;
  width: number;
  height: number;
  fps: number;
  keyframeIntervalSec: number;
}

export async function ensureReviewSource(
  tools: MediaTools,
  opts: { quick: boolean; say(message: string): void },
): Promise<ReviewSource> {
  const spec = { ...REVIEW_SOURCE_SPEC, durationSec: opts.quick ? QUICK_DURATION_SEC : REVIEW_SOURCE_SPEC.durationSec };
  const dir = join(REPO_ROOT, '.bench', 'cache');
  const version = tools.ffmpeg.version.replace(/[^\w.-]+/g, '_');
  const name = `review-${spec.durationSec}s-${spec.height}p${spec.fps}-gop${spec.keyframeIntervalSec}s-ffmpeg${version}.mp4`;
  const file = join(dir, name);
  const made = await stat(file).then(
    (s) => s.size > 0,
    () => false,
  );
  if (!made) {
    await mkdir(dir, { recursive: true });
    // Two figures may start making it at once: each writes its own temp file, the last rename wins.
    const temp = `${file}.${randomBytes(4).toString('hex')}.part`;
    const gop = spec.fps * spec.keyframeIntervalSec;
    opts.say(`making the ${spec.durationSec / 60}-minute ${spec.height}p review recording (cached in ${dir})`);
    const args = [
      ...['-nostdin', '-hide_banner', '-v', 'error', '-y'],
      ...[
        '-f',
        'lavfi',
        '-i',
        `testsrc2=size=${spec.width}x${spec.height}:rate=${spec.fps}:duration=${spec.durationSec}`,
      ],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${spec.durationSec}`],
      ...['-map', '0:v', '-map', '1:a'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-bf', '2'],
      // A fixed 2-second GOP: every keyframe lands on an even second, which the figures rely on.
      ...['-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0', '-b:v', '8M'],
      ...['-c:a', 'aac', '-b:a', '128k'],
      ...['-metadata', 'creation_time=2026-03-01T01:30:00Z', '-movflags', '+faststart', '-f', 'mp4', temp],
    ];
    try {
      await runTimed(tools.ffmpeg.path, args);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
  return { path: file, ...spec };
}
