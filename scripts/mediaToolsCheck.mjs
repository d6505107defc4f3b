#!/usr/bin/env node
// Checks that an ffmpeg/ffprobe pair has every component the station uses: the codecs, muxers,
// demuxers and filters of its cuts, stills, thumbnails, filmstrips and proxies. A pair built with
// fewer (scripts/buildMediaTools.sh makes one) would fail on the first clip of a kind it lacks,
// in front of a reviewer; this says which component is missing before the pair is shipped.
//
// Usage: node scripts/mediaToolsCheck.mjs DIR   (DIR holds ffmpeg and ffprobe)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What src/core/media asks of ffmpeg, by ffmpeg's own listing names. */
export const REQUIRED_COMPONENTS = {
  // Exact clips and proxies (libx264, aac), stills (png), thumbnails and filmstrips (mjpeg).
  encoders: ['libx264', 'aac', 'png', 'mjpeg'],
  // What cameras and phones record, and what the station reads back from its own outputs. AV1 by
  // libaom: FFmpeg's own `av1` decoder is listed in every build but decodes only with a hardware
  // decoder, so its name proves nothing.
  decoders: [
    'h264',
    'hevc',
    'mjpeg',
    'mpeg4',
    'mpeg2video',
    'libaom-av1',
    'aac',
    'mp3',
    'ac3',
    'pcm_s16le',
    'png',
    'rawvideo',
  ],
  // Lossless clips keep the source's container (clipContainer.ts); stills and frames are images.
  muxers: ['mp4', 'mov', 'matroska', 'webm', 'avi', 'mpegts', 'mjpeg', 'image2'],
  demuxers: ['mov', 'mpegts', 'matroska', 'avi', 'mpeg', 'mp3', 'wav', 'aac', 'h264', 'hevc', 'rawvideo', 'image2'],
  filters: [
    'scale',
    'setsar',
    'showinfo',
    'tile',
    'trim',
    'atrim',
    'setpts',
    'asetpts',
    'pad',
    'transpose',
    'hflip',
    'vflip',
  ],
  // Not asked for by name: the muxers insert these themselves when a lossless clip copies a stream
  // into another container (libavformat's movenc.c, matroskaenc.c, mpegtsenc.c): H.264/HEVC from
  // MP4 into MPEG-TS, ADTS AAC from MPEG-TS into MP4/MOV/Matroska, VP9 into MP4/Matroska. A pair
  // built without one fails only that copy, at cut time.
  bsfs: ['h264_mp4toannexb', 'hevc_mp4toannexb', 'aac_adtstoasc', 'vp9_superframe'],
  // Originals are read from files, outputs written to files, progress read from `-progress pipe:1`.
  protocols: ['file', 'pipe'],
};

/**
 * The names in one `ffmpeg -<listing>` output. A codec, format or filter line is flags, then its
 * name; the bitstream filter and protocol listings have the bare name alone on its line.
 */
export function listedNames(output) {
  const names = new Set();
  for (const line of output.split('\n')) {
    // " V....D libx264  ...", "  E mp4 ...", " DE mov,mp4,… ...", " ..C scale  V->V ..."
    // or "aac_adtstoasc" (-bsfs), "  pipe" (-protocols); headers end in ":" and match neither.
    const match = /^\s*[A-Z.|]{1,7}\s+(\S+)/.exec(line) ?? /^\s*([a-z0-9_]+)\s*$/.exec(line);
    if (!match) continue;
    // Demuxers and muxers list aliases comma-separated ("mov,mp4,m4a,3gp,3g2,mj2").
    for (const name of match[1].split(',')) names.add(name);
  }
  return names;
}

/** The components `required` names that the pair in `dir` lacks, by listing; empty when none. */
export function missingComponents(dir, required = REQUIRED_COMPONENTS) {
  const ffmpeg = path.join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
  const missing = [];
  for (const [listing, names] of Object.entries(required)) {
    const output = execFileSync(ffmpeg, ['-hide_banner', `-${listing}`], { encoding: 'utf8' });
    const have = listedNames(output);
    for (const name of names) if (!have.has(name)) missing.push(`${listing.replace(/s$/, '')} ${name}`);
  }
  return missing;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/mediaToolsCheck.mjs DIR');
    process.exit(2);
  }
  const missing = missingComponents(dir);
  if (missing.length > 0) {
    console.error(`mediaToolsCheck: the pair in ${dir} lacks: ${missing.join(', ')}`);
    process.exit(1);
  }
  console.log(`mediaToolsCheck: the pair in ${dir} has every component the station uses`);
}
