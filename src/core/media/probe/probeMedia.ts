import type { FileNamePattern, MediaInfo, MediaKind } from '../../../shared/schemas';
import type { Logger } from '../../engineApi';
import type { MediaTools } from '../tools/binaries';
import { kindByExtension, readFileHead, sniffKind } from './classify';
import { readAvchdMetadata } from './avchdMdpm';
import { readPhoto, type PhotoFacts, type PhotoFormat } from './exif';
import { parseFfprobe, runFfprobe, type ProbeFacts } from './ffprobe';
import { parseFileName } from './fileNamePatterns';
import { readGoProIdentity } from './goProBoxes';
import { isBrowserPlayable } from './playability';
import { chooseRecordedTime, type TimeCandidates } from './recordedTime';
import { ProcessAbortedError, ProcessError, ProcessFailedError } from '../tools/runProcess';
import { DeriveError } from '../derive/deriveError';
import { readHeifSize } from '../derive/heifDecoder';

export interface ProbeContext {
  /** The original file name (the stored copy is named by hash, so the name comes from the source). */
  fileName: string;
  /** The source's modification time, the last resort for the recorded time. */
  modifiedAt: Date | null;
  patterns: FileNamePattern[];
  /** The station's UTC offset in minutes, used wherever the file does not say its own. */
  stationOffsetMinutes: number;
  signal?: AbortSignal;
  log?: Logger;
  /**
   * ffprobe's JSON of this very file (at least `-show_format -show_streams`) when the caller has
   * just run it: then ffprobe is not started again. A clip's measurement gives it.
   */
  ffprobeJson?: unknown;
}

export type ProbeResult =
  | { ok: true; info: MediaInfo }
  | {
      ok: false;
      kind: MediaKind;
      /** Why the file cannot be shown, in English for the log and the item's `reason`. */
      reason: string;
      /** What could still be read (file-name ids, recorded time from name or file system, EXIF). */
      partial: MediaInfo;
    };

/**
 * Reads everything the station keeps about a media file: kind, format, codecs, dimensions,
 * duration, recorded time, place, device. Never throws for a bad file (that is `ok: false`); throws
 * `ProcessAbortedError` when `signal` aborts, and file-system errors for an unreadable path.
 */
export async function probeMedia(tools: MediaTools, file: string, ctx: ProbeContext): Promise<ProbeResult> {
  const head = await readFileHead(file);
  const sniffed = sniffKind(head);
  const kind: MediaKind = sniffed ?? kindByExtension(ctx.fileName) ?? 'other';
  const name = parseFileName(ctx.fileName, ctx.patterns);
  if (name.invalidPatterns) ctx.log?.warn('file name patterns do not compile', { patterns: name.invalidPatterns });

  const info: MediaInfo = { kind };
  if (name.deviceId) info.deviceId = name.deviceId;
  if (name.officerId) info.officerId = name.officerId;
  const time: TimeCandidates = { fileName: name.localTime, modifiedAt: ctx.modifiedAt };

  let reason: string | undefined;
  if (head.length === 0) {
    reason = 'empty file';
  } else if (kind === 'photo') {
    const photo = await readPhoto(file);
    if (photo.format === 'heif') Object.assign(photo, await readHeifFacts(file, ctx.signal));
    addPhotoFacts(info, photo);
    time.exif = photo.exifTime;
    reason = photo.undecodableReason;
  } else if (kind === 'video' || kind === 'audio') {
    const probed = await probeWithFfprobe(tools, file, ctx);
    if (typeof probed === 'string') {
      reason = probed;
    } else {
      addProbeFacts(info, probed);
      Object.assign(time, await addCameraFacts(tools, file, info, ctx));
      time.containerWithOffset = probed.creationTimeWithOffset;
      if (probed.creationTime) {
        time.container = { creationTime: probed.creationTime, writer: probed.writtenByPhone ? 'phone' : 'unknown' };
      }
      reason = probed.undecodableReason;
    }
  } else {
    reason = sniffed === null && kindByExtension(ctx.fileName) === null ? 'not a media file' : 'unknown format';
  }

  const recorded = chooseRecordedTime(time, ctx.stationOffsetMinutes);
  if (recorded) Object.assign(info, recorded);
  if (reason) return { ok: false, kind: info.kind, reason, partial: info };
  info.browserPlayable = isBrowserPlayable(info);
  return { ok: true, info };
}

/**
 * A HEIC's size is its primary image's as libheif reports it (an iPhone's grid of 512×512 tiles
 * put together, its own rotation applied), not ffprobe's, which lists each tile as a stream. That
 * rotation is already in the size and in every picture derived from it, so EXIF's is not applied again.
 */
async function readHeifFacts(file: string, signal?: AbortSignal): Promise<Partial<PhotoFacts>> {
  try {
    const { width, height } = await readHeifSize(file, signal);
    return { width, height, rotation: 0 };
  } catch (error) {
    if (!(error instanceof DeriveError)) throw error;
    return { undecodableReason: `HEIF: ${error.detail || error.problem}` };
  }
}

/** ffprobe's facts, or the reason it could not read the file. Aborts propagate. */
async function probeWithFfprobe(tools: MediaTools, file: string, ctx: ProbeContext): Promise<ProbeFacts | string> {
  try {
    return parseFfprobe(ctx.ffprobeJson ?? (await runFfprobe(tools, file, ctx.signal, ctx.log)));
  } catch (error) {
    if (error instanceof ProcessAbortedError) throw error;
    if (error instanceof ProcessFailedError && error.spawnError) throw error;
    // ffprobe names the file it read, here the stored copy: the reason names the original instead,
    // since it reaches the UI and exported records, where no store path may appear.
    if (error instanceof ProcessError) {
      return `ffprobe: ${error.stderrTail.at(-1) ?? error.message}`.split(file).join(ctx.fileName);
    }
    // Unparsable JSON: ffprobe answered, but not about a file we can use.
    return `ffprobe output unreadable: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * What the camera wrote beyond ffprobe's tags: GoPro's model, serial and firmware in an MP4's
 * `udta`, and AVCHD's make, model and recording time in the H.264 stream (MDPM). Each fills only
 * fields ffprobe left empty. Returns the stream time, for the recorded-time choice.
 */
async function addCameraFacts(
  tools: MediaTools,
  file: string,
  info: MediaInfo,
  ctx: ProbeContext,
): Promise<Pick<TimeCandidates, 'stream'>> {
  const fill = (facts: Partial<Pick<MediaInfo, 'make' | 'model' | 'serial' | 'firmware'>>) => {
    for (const key of ['make', 'model', 'serial', 'firmware'] as const) {
      if (info[key] === undefined && facts[key] !== undefined) info[key] = facts[key];
    }
  };
  const container = info.container?.split(',')[0];
  if (container === 'mov') fill(await readGoProIdentity(file));
  if (container === 'mpegts' && info.videoCodec === 'h264') {
    const mdpm = await readAvchdMetadata(tools, file, ctx.signal, ctx.log);
    if (mdpm) fill(mdpm);
    if (mdpm?.local) {
      return {
        stream:
          mdpm.offsetMinutes === undefined
            ? { local: mdpm.local }
            : { local: mdpm.local, offsetMinutes: mdpm.offsetMinutes },
      };
    }
  }
  return {};
}

function addProbeFacts(info: MediaInfo, facts: ProbeFacts) {
  if (facts.hasVideo) info.kind = 'video';
  else if (facts.hasAudio) info.kind = 'audio';
  for (const key of PROBE_FIELDS) if (facts[key] !== undefined) Object.assign(info, { [key]: facts[key] });
  const mimeType = mimeTypeOfContainer(facts.container, info.kind);
  if (mimeType) info.mimeType = mimeType;
}

const PROBE_FIELDS = [
  ...['container', 'durationSec', 'width', 'height', 'frameRate', 'videoCodec', 'audioCodec', 'pixelFormat'],
  ...['rotation', 'bitRate', 'gps', 'make', 'model', 'serial', 'firmware'],
] as const satisfies (keyof ProbeFacts & keyof MediaInfo)[];

function addPhotoFacts(info: MediaInfo, photo: PhotoFacts) {
  if (photo.format) {
    info.container = photo.format;
    info.mimeType = PHOTO_MIME_TYPES[photo.format];
  }
  const copied = ['width', 'height', 'rotation', 'gps', 'make', 'model', 'serial'] as const;
  for (const key of copied) if (photo[key] !== undefined) Object.assign(info, { [key]: photo[key] });
}

const PHOTO_MIME_TYPES: Record<PhotoFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  heif: 'image/heif',
  tiff: 'image/tiff',
  webp: 'image/webp',
};

/**
 * ffprobe names one demuxer for MP4, MOV and M4A (`mov,mp4,m4a,…`). All are served as MP4: Chromium's
 * media pipeline knows no `video/quicktime`, and a MOV with H.264/AAC plays as MP4.
 */
function mimeTypeOfContainer(container: string | undefined, kind: MediaKind): string | undefined {
  const first = container?.split(',')[0];
  const video = kind === 'video';
  switch (first) {
    case 'mov':
      return video ? 'video/mp4' : 'audio/mp4';
    case 'matroska':
      return container?.includes('webm') ? (video ? 'video/webm' : 'audio/webm') : 'video/x-matroska';
    case 'avi':
      return 'video/x-msvideo';
    case 'mpegts':
      return 'video/mp2t';
    case 'flv':
      return 'video/x-flv';
    case 'asf':
      return video ? 'video/x-ms-asf' : 'audio/x-ms-wma';
    case 'mpeg':
      return 'video/mpeg';
    case 'mp3':
      return 'audio/mpeg';
    case 'wav':
      return 'audio/wav';
    case 'ogg':
      return 'audio/ogg';
    case 'aac':
      return 'audio/aac';
    case 'amr':
      return 'audio/amr';
    case 'flac':
      return 'audio/flac';
    default:
      return undefined;
  }
}
