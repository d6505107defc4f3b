import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MediaTools } from '../../src/core/media/tools/binaries';
import { mediaToolEnv } from '../../src/core/media/tools/runProcess';

/**
 * Decoded pictures of a file, for tests that compare what a clip or still shows with the source:
 * frames as raw 8-bit grey (or RGB) images, their timestamps, and per-frame MD5s of the decoded
 * pictures. Real ffmpeg, real decoding; nothing about the files is assumed.
 */

const execFileAsync = promisify(execFile);
const MAX_BUFFER = 256 * 1024 * 1024;

/** stdout of a media tool, run in the environment the station gives it (see `mediaToolEnv`). */
async function runBuffer(bin: string, args: string[]): Promise<Buffer> {
  const { stdout } = await execFileAsync(bin, args, { encoding: 'buffer', maxBuffer: MAX_BUFFER, env: mediaToolEnv() });
  return stdout;
}

async function runText(bin: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync(bin, args, { encoding: 'utf8', maxBuffer: MAX_BUFFER, env: mediaToolEnv() });
  return stdout;
}

export interface DecodedFrame {
  /** Presentation time in seconds, as the decoder output it (the file's own timeline). */
  timeSec: number;
  pixels: Buffer;
}

/**
 * Every frame of the first video stream as grey pixels, in display order, each with its time.
 * `-vsync passthrough`: one picture per decoded frame, nothing duplicated or dropped.
 */
export async function decodeGrayFrames(tools: MediaTools, file: string, width: number, height: number) {
  const args = ['-v', 'error', '-i', file, '-map', '0:v:0', '-vsync', 'passthrough'];
  const raw = await runBuffer(tools.ffmpeg.path, [...args, '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
  const times = await readFrameTimes(tools, file);
  const size = width * height;
  if (raw.length !== times.length * size) throw new Error(`decoded ${raw.length} bytes for ${times.length} frames`);
  return times.map((timeSec, i): DecodedFrame => ({ timeSec, pixels: raw.subarray(i * size, (i + 1) * size) }));
}

/** One frame decoded as packed RGB24 at its own size (what a PNG still should hold). */
export async function decodeRgbFrameAt(tools: MediaTools, file: string, index: number): Promise<Buffer> {
  const args = ['-v', 'error', '-i', file, '-map', '0:v:0', '-vsync', 'passthrough'];
  const select = ['-vf', `select=eq(n\\,${index})`, '-frames:v', '1'];
  return runBuffer(tools.ffmpeg.path, [...args, ...select, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
}

/** A PNG (or any picture) decoded as packed RGB24. */
export async function decodeRgbImage(tools: MediaTools, file: string): Promise<Buffer> {
  return runBuffer(tools.ffmpeg.path, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
}

/** MD5 of every decoded picture of the first video stream, in display order. */
export async function decodedFrameMd5s(tools: MediaTools, file: string): Promise<string[]> {
  const stdout = await runText(tools.ffmpeg.path, [
    ...['-v', 'error', '-i', file, '-map', '0:v:0', '-vsync', 'passthrough', '-f', 'framemd5', '-'],
  ]);
  return stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)?.trim() ?? '');
}

/** Frame times (seconds, display order) of the first video stream as ffprobe decodes them. */
export async function readFrameTimes(tools: MediaTools, file: string): Promise<number[]> {
  const stdout = await runText(tools.ffprobe.path, [
    ...['-v', 'error', '-select_streams', 'v:0'],
    ...['-show_entries', 'frame=best_effort_timestamp_time', '-of', 'csv=p=0', file],
  ]);
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Number(line.split(',')[0]));
}

/** Decoded frames and packets of the first video stream, counted by ffprobe (equal when nothing is hidden). */
export async function countFramesAndPackets(
  tools: MediaTools,
  file: string,
): Promise<{ frames: number; packets: number }> {
  const stdout = await runText(tools.ffprobe.path, [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-count_packets'],
    ...['-show_entries', 'stream=nb_read_frames,nb_read_packets', '-of', 'json', file],
  ]);
  const stream = (JSON.parse(stdout) as { streams: { nb_read_frames: string; nb_read_packets: string }[] }).streams[0];
  return { frames: Number(stream?.nb_read_frames), packets: Number(stream?.nb_read_packets) };
}

/** Mean absolute difference of two equally sized 8-bit pictures (0 = identical, 255 = opposite). */
export function meanAbsDiff(a: Buffer, b: Buffer): number {
  if (a.length !== b.length) throw new Error(`pictures of ${a.length} and ${b.length} bytes`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}
