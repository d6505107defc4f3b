import { containerSpec } from './clipContainer';
import type { ClipPlan } from './clipPlan';
import { formatSecondsForFfmpeg as sec } from '../tools/ffmpegFile';
import { decodeSeekSec } from './inputSeek';
import { findMainVideo, type StreamInfo } from '../probe/packets';
import { shiftTimecode } from './timecode';

/**
 * The ffmpeg argument lists of the two kinds of clip (without the leading base arguments and the
 * output path). Pure, so the choices below are tested on their own and recorded as they ran.
 */

/**
 * Exact clips: x264 at CRF 16, preset `faster`. CRF 16 is below the ~18 usually taken as visually
 * lossless, so plate characters and faces stay as legible as in the source; `faster` still has
 * trellis quantisation and sub-pixel motion refinement (which keep small text sharp) and encodes a
 * minute of 1080p25 in about half a minute on a two-core station (`medium`: ~1.7 times longer for
 * ~5 % smaller files at the same quality).
 */
export const EXACT_VIDEO = { codec: 'libx264', preset: 'faster', crf: 16 } as const;
export const EXACT_AUDIO = { codec: 'aac', bitrate: '192k' } as const;

/** Pixel formats Chromium decodes in H.264 (High profile, 8-bit 4:2:0); kept as they are. */
const PLAYABLE_PIXEL_FORMATS = new Set(['yuv420p', 'yuvj420p']);

export interface ExactVideoEncoder {
  codec: string;
  preset: string;
  crf: number;
  pixelFormat: string;
  /** Set when the source's pixel format could not be kept: what it was. */
  convertedFromPixelFormat?: string;
  /** Set when odd dimensions were padded by one pixel to even ones (4:2:0 needs even sizes). */
  paddedFrom?: { width: number; height: number };
  /** The source's frame rate as an exact fraction (`12800/512`), or `variable` (timestamps kept as they are). */
  frameRate: string;
}

export interface ExactAudioEncoder {
  codec: string;
  bitrate: string;
  streams: number;
}

export interface ClipEncoder {
  video: ExactVideoEncoder;
  audio: ExactAudioEncoder | null;
}

export interface ClipArgs {
  args: string[];
  /** Source stream indexes written to the clip, in output order. */
  mapped: number[];
  /** Source streams left out on purpose, with the reason. */
  leftOut: { index: number; reason: string }[];
  encoder: ClipEncoder | null;
}

/**
 * Lossless: stream copy from the keyframe, read through two inputs of the same file. Input 0
 * gives the video and stops it by decode time just before the first packet the plan leaves out
 * (ffmpeg's `-frames:v` would close every stream of the file as soon as the video has enough
 * frames, cutting the audio short by the interleaving distance). Input 1 gives every other stream,
 * stopped at the clip's end time. `-copypriorss 0` drops what the demuxer's seek delivers before
 * the keyframe (ffmpeg seeks 3/23 s early when it sees B-frames, and would otherwise copy the
 * previous GOP behind an edit list: the hidden preroll this clip must not have). Both inputs are
 * shifted by the same offset, so the keyframe is at 0 and nothing is hidden.
 */
export interface LosslessOptions {
  /** Source streams not to write (a container refused them). */
  exclude?: ReadonlySet<number>;
  /** ffmpeg 4.x (`isLegacyEncoder`): its input `-t` is counted differently (`streamCopyStops`). */
  legacyEncoder?: boolean;
}

export function buildLosslessArgs(src: string, plan: ClipPlan, opts: LosslessOptions = {}): ClipArgs {
  const exclude = opts.exclude ?? new Set<number>();
  const video = findMainVideo(plan.source);
  if (!video) throw new Error('lossless clip of a recording without video');
  const stop = opts.legacyEncoder ? legacyStreamCopyStops(plan) : streamCopyStops(plan);
  const timecodeTracks = plan.source.streams.filter((s) => s.type === 'data' && s.codec === 'tmcd');
  const leftOut = new Set([...exclude, ...timecodeTracks.map((s) => s.index)]);
  const others = plan.source.streams.filter((s) => s.index !== video.index && !leftOut.has(s.index));
  const videoInput = ['-ss', sec(plan.cut.seekSec), ...stop.video];
  const otherInput = ['-ss', sec(plan.cut.seekSec), ...stop.others];
  const args = [
    ...[...videoInput, '-i', src],
    ...(others.length > 0 ? [...otherInput, '-i', src] : []),
    ...['-map', `0:${video.index}`, ...others.flatMap((s) => ['-map', `1:${s.index}`])],
    ...['-c', 'copy', '-copy_unknown', '-copypriorss', '0', '-map_metadata', '0'],
    ...stop.output,
    ...timecodeArgs(video, plan),
    ...['-progress', 'pipe:1', '-nostats', '-f', containerSpec(plan.container).muxer],
  ];
  return {
    args,
    mapped: [video.index, ...others.map((s) => s.index)],
    leftOut: [
      ...[...exclude].map((index) => ({ index, reason: 'the container refused it' })),
      ...timecodeTracks.map((s) => ({ index: s.index, reason: TIMECODE_REASON })),
    ],
    encoder: null,
  };
}

/**
 * Where each input of a stream copy stops: the video by decode time at `videoStopSec`, the other
 * streams at the clip's end. An input's `-t` is counted from its seek point (ffmpeg 5 and later).
 */
function streamCopyStops(plan: ClipPlan): { video: string[]; others: string[]; output: string[] } {
  const { seekSec, videoStopSec } = plan.cut;
  if (videoStopSec === null) return { video: [], others: [], output: [] };
  if (!(videoStopSec > seekSec)) throw new Error(`cannot stop a stream copy at ${videoStopSec} s, before its start`);
  return { video: ['-t', sec(videoStopSec - seekSec)], others: ['-t', sec(plan.toSec - seekSec)], output: [] };
}

/**
 * Where each input of a stream copy stops, for ffmpeg 4.x only. ffmpeg 4.1 stops an input's stream copy (`-t`) when a
 * packet's time, counted from the seek point, reaches the duration plus the container's start
 * time, so the duration given is shortened by that start; the video stops by decode time at
 * `videoStopSec`, the other streams at the clip's end. A container that starts later than the clip
 * is long (MPEG-TS starts at 1.4 s, or at whatever its clock said) cannot be stopped that way: the
 * output's `-t` is counted from the seek point alone, and stops every stream at the video's stop.
 * The audio then ends up to the video's reordering delay (a frame or two) before the last frame.
 */
function legacyStreamCopyStops(plan: ClipPlan): { video: string[]; others: string[]; output: string[] } {
  const { seekSec, videoStopSec } = plan.cut;
  if (videoStopSec === null) return { video: [], others: [], output: [] };
  const inputDuration = (endSec: number) => endSec - seekSec - plan.source.startSec;
  if (inputDuration(videoStopSec) > 0 && inputDuration(plan.toSec) > 0)
    return {
      video: ['-t', sec(inputDuration(videoStopSec))],
      others: ['-t', sec(inputDuration(plan.toSec))],
      output: [],
    };
  if (!(videoStopSec > seekSec)) throw new Error(`cannot stop a stream copy at ${videoStopSec} s, before its start`);
  return { video: [], others: [], output: ['-t', sec(videoStopSec - seekSec)] };
}

/**
 * Exact: decode from the keyframe before the first frame and re-encode exactly the planned frames.
 * Timestamps stay the source's own (`-copyts`), so the trim is on integer pts: frames with
 * firstPts ≤ pts < endPts, nothing rounded. `-noaccurate_seek` leaves the trimming to that filter,
 * `frameTiming` keeps each frame with its time (none duplicated or dropped), and `-noautorotate`
 * keeps the stored picture with the source's display rotation, like the source. Audio is cut to
 * the same span.
 */
export function buildExactArgs(src: string, plan: ClipPlan): ClipArgs {
  const video = findMainVideo(plan.source);
  if (!video) throw new Error('exact clip of a recording without video');
  const { firstPts, endPts, timeBase, frameStep } = plan.cut;
  const audio = plan.source.streams.filter((s) => s.type === 'audio');
  const pixel = choosePixelFormat(video);
  const odd = (video.width ?? 0) % 2 === 1 || (video.height ?? 0) % 2 === 1;
  const videoFilters = [
    `trim=start_pts=${firstPts}${endPts !== null ? `:end_pts=${endPts}` : ''}`,
    'setpts=PTS-STARTPTS',
    ...(odd ? ['pad=ceil(iw/2)*2:ceil(ih/2)*2'] : []),
  ];
  const rawFrom = plan.fromSec + plan.source.startSec;
  const rawTo = plan.toSec + plan.source.startSec;
  const audioArgs =
    audio.length > 0
      ? [
          ...['-af', `atrim=start=${sec(rawFrom)}:end=${sec(rawTo)},asetpts=PTS-STARTPTS`],
          ...['-c:a', EXACT_AUDIO.codec, '-b:a', EXACT_AUDIO.bitrate],
        ]
      : [];
  const inputSeekSec = decodeSeekSec(plan.source.formatName, plan.cut.seekSec, plan.keyframeSec);
  const args = [
    ...['-noaccurate_seek', '-noautorotate', '-ss', sec(inputSeekSec), '-i', src, '-copyts'],
    ...['-map', `0:${video.index}`, ...audio.flatMap((s) => ['-map', `0:${s.index}`])],
    ...['-vf', videoFilters.join(',')],
    ...frameTiming(timeBase, frameStep),
    ...['-c:v', EXACT_VIDEO.codec, '-preset', EXACT_VIDEO.preset, '-crf', String(EXACT_VIDEO.crf)],
    ...['-pix_fmt', pixel.format],
    ...timecodeArgs(video, plan),
    ...audioArgs,
    // ffmpeg 4.x gives up on files whose audio and video interleave badly without a larger queue.
    ...['-max_muxing_queue_size', '4096', '-movflags', '+faststart'],
    ...['-progress', 'pipe:1', '-nostats', '-f', 'mp4'],
  ];
  const mappedSet = new Set([video.index, ...audio.map((s) => s.index)]);
  return {
    args,
    mapped: [video.index, ...audio.map((s) => s.index)],
    leftOut: plan.source.streams
      .filter((s) => !mappedSet.has(s.index))
      .map((s) => ({ index: s.index, reason: 'an exact clip is an MP4 of the video and its audio only' })),
    encoder: {
      video: {
        codec: EXACT_VIDEO.codec,
        preset: EXACT_VIDEO.preset,
        crf: EXACT_VIDEO.crf,
        pixelFormat: pixel.format,
        ...(pixel.convertedFrom ? { convertedFromPixelFormat: pixel.convertedFrom } : {}),
        ...(odd && video.width && video.height ? { paddedFrom: { width: video.width, height: video.height } } : {}),
        frameRate: frameStep !== null ? `${timeBase.den}/${frameStep * timeBase.num}` : 'variable',
      },
      audio: audio.length > 0 ? { ...EXACT_AUDIO, streams: audio.length } : null,
    },
  };
}

const TIMECODE_REASON =
  "a timecode track holds the recording's first timecode; the clip is labelled with its own first frame's instead";

/**
 * The clip's first frame gets its own timecode: ffmpeg copies the video's `timecode` tag (and MP4
 * and QuickTime muxers build a timecode track from it), which would label the clip's first frame
 * with the recording's. Dropped when it cannot be shifted exactly (drop-frame timecodes).
 */
function timecodeArgs(video: StreamInfo, plan: ClipPlan): string[] {
  if (!video.timecode) return [];
  const shifted = video.frameRate ? shiftTimecode(video.timecode, plan.fromSec, video.frameRate) : null;
  return ['-metadata:s:v:0', `timecode=${shifted ?? ''}`];
}

/**
 * Frames keep their timing. A constant rate is given to ffmpeg exactly (`-r 12800/512`), which
 * also gives each packet its duration, so the last frame is shown for its full time. A variable
 * rate keeps every timestamp (`passthrough`, in the source's time base); ffmpeg 4.1 then writes no
 * packet durations, and `cutClip` gives the last frame its duration afterwards (`mp4LastFrame.ts`).
 */
function frameTiming(tb: { num: number; den: number }, step: number | null): string[] {
  if (step !== null) return ['-vsync', 'cfr', '-r', `${tb.den}/${step * tb.num}`];
  // No B-frames: the file's last sample is then the last frame shown (with B-frames it is often
  // an earlier one), so the duration given to the last sample is the last frame's.
  return ['-vsync', 'passthrough', '-enc_time_base:v', '-1', '-bf', '0'];
}

/** The source's pixel format when Chromium plays it in H.264, else the nearest one it does (recorded). */
export function choosePixelFormat(video: StreamInfo): { format: string; convertedFrom?: string } {
  const source = video.pixelFormat ?? 'yuv420p';
  if (PLAYABLE_PIXEL_FORMATS.has(source)) return { format: source };
  // Full-range (JPEG) sources stay full range: only the chroma is subsampled.
  return { format: source.startsWith('yuvj') ? 'yuvj420p' : 'yuv420p', convertedFrom: source };
}
