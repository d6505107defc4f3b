import type { Logger } from '../../engineApi';
import { isLegacyEncoder, type MediaTools } from '../tools/binaries';
import { buildExactArgs, buildLosslessArgs, type ClipArgs, type ClipEncoder } from './clipArgs';
import { matchStreams, measureClip, type ClipMeasurement } from './clipMeasure';
import type { ClipPlan } from './clipPlan';
import { runFfmpegToFile, syncFile, type FfmpegFile } from '../tools/ffmpegFile';
import { parseFfmpegProgressLine } from '../tools/ffmpegProgress';
import { setLastVideoFrameDuration } from './mp4LastFrame';
import type { StreamInfo, StreamType } from '../probe/packets';
import { ProcessFailedError } from '../tools/runProcess';

/**
 * Cuts a planned clip out of a recording into `out` (temp file, measured, fsynced, renamed): a
 * lossless stream copy from the keyframe, or an exact re-encode of the planned frames. The clip is
 * measured from the written file before it is committed, and refused when it does not hold what
 * the plan promised, so a clip's reported range is always what it holds.
 */

export interface CutOptions {
  signal?: AbortSignal;
  /** Fraction done, 0..1, non-decreasing; 1 once the file is in place. */
  onProgress?: (fraction: number) => void;
  log?: Logger;
  /**
   * Hashes the finished clip (SHA-256, hex) while it is measured and fsynced, so the caller need
   * not read it again: pass the engine's hashing worker. Without it `sha256` is null.
   */
  hash?: (file: string, signal?: AbortSignal) => Promise<string>;
  /**
   * Any other read of the finished clip the caller needs (the engine reads it as an item), given
   * the JSON of the measurement's ffprobe run (`-show_format -show_streams` and packets), so the
   * clip is probed once: each ffprobe start costs a dynamically linked build ~0.1 s of CPU. Runs
   * while the clip is hashed and fsynced; it must not change the file, and its failure fails the cut.
   */
  alongside?: (file: string, ffprobeJson: unknown, signal?: AbortSignal) => Promise<void>;
}

export interface DroppedStream {
  index: number;
  type: StreamType;
  codec: string;
  reason: string;
}

export interface ClipResult extends FfmpegFile {
  /** SHA-256 of the clip as committed, when `CutOptions.hash` was given. */
  sha256: string | null;
  plan: ClipPlan;
  measured: ClipMeasurement;
  streams: { kept: StreamInfo[]; dropped: DroppedStream[] };
  /** The re-encoding settings of an exact clip; null for a lossless one (nothing re-encoded). */
  encoder: ClipEncoder | null;
}

/** The written clip does not hold what the plan promised (a bug, or a file ffmpeg cuts unlike it reads). */
export class ClipMismatchError extends Error {
  constructor(
    readonly plan: ClipPlan,
    readonly measured: ClipMeasurement,
    detail: string,
  ) {
    super(`the clip does not match its plan: ${detail}`);
    this.name = new.target.name;
  }
}

/** Stream copy runs at disk speed; re-encoding an hour of 1080p takes hours on two cores. */
const LOSSLESS_TIMEOUT_MS = 60 * 60 * 1000;
const EXACT_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export async function cutClip(
  tools: MediaTools,
  src: string,
  out: string,
  plan: ClipPlan,
  opts: CutOptions = {},
): Promise<ClipResult> {
  const refused = new Map<number, string>();
  for (;;) {
    const built =
      plan.mode === 'lossless'
        ? buildLosslessArgs(src, plan, { exclude: new Set(refused.keys()), legacyEncoder: isLegacyEncoder(tools) })
        : buildExactArgs(src, plan);
    try {
      return await runCut(tools, out, plan, built, refused, opts);
    } catch (error) {
      const refusedNow = plan.mode === 'lossless' ? findRefusedStreams(error, plan, built) : [];
      if (refusedNow.length === 0) throw error;
      const why = error instanceof ProcessFailedError ? (error.stderrTail.at(-2) ?? error.message) : String(error);
      for (const index of refusedNow) refused.set(index, `the ${plan.container} container refused it: ${why}`);
      opts.log?.warn('clip: container refused streams, cutting without them', { streams: refusedNow.join(',') });
    }
  }
}

async function runCut(
  tools: MediaTools,
  out: string,
  plan: ClipPlan,
  built: ClipArgs,
  refused: ReadonlyMap<number, string>,
  opts: CutOptions,
): Promise<ClipResult> {
  const clipDuration = plan.toSec - plan.fromSec;
  let reported = 0;
  const onStdoutLine = (line: string) => {
    const fraction = parseFfmpegProgressLine(line, clipDuration);
    // Held below 1 until the clip is measured and renamed into place.
    if (fraction !== null && fraction > reported && fraction < 1) {
      reported = fraction;
      opts.onProgress?.(fraction);
    }
  };
  let probe: Awaited<ReturnType<typeof measureClip>> | undefined;
  let sha256: string | null = null;
  const made = await runFfmpegToFile(tools, built.args, out, {
    signal: opts.signal,
    log: opts.log,
    timeoutMs: plan.mode === 'lossless' ? LOSSLESS_TIMEOUT_MS : EXACT_TIMEOUT_MS,
    onStdoutLine,
    beforeCommit: async (temp) => {
      if (plan.mode === 'exact' && plan.cut.frameStep === null && isLegacyEncoder(tools)) {
        await setLastVideoFrameDuration(temp, plan.cut.lastFrameSec);
        // The writer's fsync may have run before this change.
        await syncFile(temp);
      }
      const hashed = opts.hash?.(temp, opts.signal);
      const measuring = measureClip(tools, temp, plan, opts);
      const other = opts.alongside ? measuring.then((m) => opts.alongside?.(temp, m.json, opts.signal)) : undefined;
      const [measured, digest, read] = await Promise.allSettled([measuring, hashed, other]);
      if (measured.status === 'rejected') throw measured.reason;
      if (digest.status === 'rejected') throw digest.reason;
      if (read.status === 'rejected') throw read.reason;
      probe = measured.value;
      sha256 = digest.value ?? null;
      checkAgainstPlan(plan, probe.measured);
    },
  });
  if (!probe) throw new Error('the clip was not measured');
  opts.onProgress?.(1);
  const { kept, notWritten } = matchStreams(plan.source, built.mapped, probe.output);
  const describe = (index: number, reason: string): DroppedStream => {
    const s = plan.source.streams.find((x) => x.index === index);
    return { index, type: s?.type ?? 'unknown', codec: s?.codec ?? 'unknown', reason };
  };
  const dropped = [
    ...built.leftOut.map((l) => describe(l.index, refused.get(l.index) ?? l.reason)),
    ...notWritten.map((index) =>
      describe(index, 'not in the written clip (no packet in its range, or the muxer skipped it)'),
    ),
  ].sort((a, b) => a.index - b.index);
  return { ...made, sha256, plan, measured: probe.measured, streams: { kept, dropped }, encoder: built.encoder };
}

function checkAgainstPlan(plan: ClipPlan, measured: ClipMeasurement): void {
  const halfFrame = plan.frameRate ? 0.5 / plan.frameRate : 0.001;
  const problems = [
    measured.frameCount !== plan.frameCount && `${measured.frameCount} frames, planned ${plan.frameCount}`,
    Math.abs(measured.fromSec - plan.fromSec) > halfFrame &&
      `starts at ${measured.fromSec} s, planned ${plan.fromSec} s`,
    !measured.endEstimated &&
      Math.abs(measured.toSec - plan.toSec) > halfFrame &&
      `ends at ${measured.toSec} s, planned ${plan.toSec} s`,
    !measured.firstFrameIsKeyframe && 'the first frame is not a keyframe',
    measured.discardedPackets > 0 && `${measured.discardedPackets} packets are hidden by an edit list`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new ClipMismatchError(plan, measured, problems.join('; '));
}

/**
 * Source streams a failed stream copy names as refused by the container ("Could not find tag for
 * codec … in stream #3"), else every stream besides video and audio when some are still mapped.
 * Empty when the failure is of another kind (then the error stands).
 */
function findRefusedStreams(error: unknown, plan: ClipPlan, built: ClipArgs): number[] {
  if (!(error instanceof ProcessFailedError) || error.exitCode === null) return [];
  const text = error.stderrTail.join('\n');
  const named = [...text.matchAll(/in stream #(\d+)(?![:\d])/gi)]
    .map((m) => built.mapped[Number(m[1])])
    .filter((index): index is number => index !== undefined && index !== built.mapped[0]);
  if (named.length > 0) return [...new Set(named)];
  if (!/not (currently )?supported|could not write header|incorrect codec/i.test(text)) return [];
  return built.mapped.filter((index) => {
    const type = plan.source.streams.find((s) => s.index === index)?.type;
    return type !== 'video' && type !== 'audio';
  });
}
