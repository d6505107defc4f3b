import { rm } from 'node:fs/promises';
import type { Logger } from '../../engineApi';
import type { MediaTools } from '../tools/binaries';
import { runFfmpegToFile, tempPathFor, type FfmpegFile } from '../tools/ffmpegFile';
import { decodeHeifToRgba, type HeifDecoderInfo } from './heifDecoder';

/**
 * The thumbnail and the full-size preview of a HEIC photo: libheif decodes the primary image (on
 * its worker) into a raw RGBA file next to `out`, and ffmpeg turns that into the JPEG through the
 * station's one writer (temp, fsync, rename). The original HEIC is only read. The raw file is a
 * hidden temp name, removed whatever happens.
 */

export interface HeifStill extends FfmpegFile {
  decoder: HeifDecoderInfo;
  width: number;
  height: number;
}

const THUMBNAIL_WIDTH = 320;
const STILL_TIMEOUT_MS = 2 * 60 * 1000;

export async function makeHeifStill(
  tools: MediaTools,
  src: string,
  out: string,
  opts: { size: 'thumbnail' | 'full'; signal?: AbortSignal; log?: Logger },
): Promise<HeifStill> {
  const raw = tempPathFor(`${out}.rgba`);
  try {
    const decoded = await decodeHeifToRgba(src, raw, opts.signal);
    const input = ['-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${decoded.width}x${decoded.height}`, '-i', raw];
    // libheif has already turned the picture the way the file says (irot/imir): nothing to rotate here.
    const scale = opts.size === 'thumbnail' ? ['-vf', `scale=${THUMBNAIL_WIDTH}:-2`, '-q:v', '4'] : ['-q:v', '2'];
    const made = await runFfmpegToFile(tools, [...input, '-frames:v', '1', ...scale, '-f', 'mjpeg'], out, {
      signal: opts.signal,
      log: opts.log,
      timeoutMs: STILL_TIMEOUT_MS,
    });
    return { ...made, decoder: decoded.decoder, width: decoded.width, height: decoded.height };
  } finally {
    await rm(raw, { force: true });
  }
}
