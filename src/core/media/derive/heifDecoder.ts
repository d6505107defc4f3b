import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DeriveError } from './deriveError';
import { ProcessAbortedError } from '../tools/runProcess';
import type { HeifWorkerData, HeifWorkerReply } from './heifProtocol';
import { heifWorkerSource } from './heifWorkerMain';

/**
 * HEIC/HEIF photos (the iPhone default) through libheif (the `libheif-js` WebAssembly build that
 * `heic-decode` wraps), on a worker thread so neither parsing nor decoding holds the event loop.
 * The size is the primary image's as libheif reports it: for an iPhone photo the grid of 512×512
 * tiles put together (4032×3024), with the file's own rotation (`irot`) already applied, since
 * libheif applies it when decoding too.
 */

/**
 * The largest photo decoded: 50 megapixels (an iPhone's 48 MP photo is 8064×6048). Decoding needs
 * 4 bytes a pixel for the RGBA alone, plus libheif's own planes: about 600 MB at this limit. A
 * larger photo is refused in plain words (`heifTooLarge`); the original is still stored and listed.
 */
export const MAX_HEIF_PIXELS = 50_000_000;
/** libheif reads the whole file into memory; no phone writes a HEIC near this size. */
export const MAX_HEIF_FILE_BYTES = 256 * 1024 * 1024;

export interface HeifDecoderInfo {
  name: 'libheif-js';
  version: string;
  /** libheif's own version inside the WebAssembly build. */
  libheif: string;
}

export interface HeifSize {
  width: number;
  height: number;
  decoder: HeifDecoderInfo;
}

const PACKAGE = 'libheif-js';

let located: { bundle: string; version: string } | null = null;

function locateLibheif(): { bundle: string; version: string } {
  if (located) return located;
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve(`${PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  located = { bundle: path.join(path.dirname(packageJson), 'wasm-bundle.js'), version };
  return located;
}

/** The primary image's width and height; a `DeriveError` when the file is not a HEIF libheif can read. */
export async function readHeifSize(file: string, signal?: AbortSignal): Promise<HeifSize> {
  const reply = await runHeifWorker({ file, mode: 'size' }, signal);
  return { width: reply.width, height: reply.height, decoder: decoderInfo(reply.libheifVersion) };
}

/**
 * Decodes the primary image into `rawOut` as RGBA, 8 bits a channel, rows top to bottom (what
 * ffmpeg reads as `-f rawvideo -pix_fmt rgba`). Refuses images above `MAX_HEIF_PIXELS`.
 */
export async function decodeHeifToRgba(file: string, rawOut: string, signal?: AbortSignal): Promise<HeifSize> {
  const reply = await runHeifWorker({ file, mode: 'decode', rawOut }, signal);
  return { width: reply.width, height: reply.height, decoder: decoderInfo(reply.libheifVersion) };
}

function decoderInfo(libheif: string): HeifDecoderInfo {
  return { name: PACKAGE, version: locateLibheif().version, libheif };
}

async function runHeifWorker(
  job: Pick<HeifWorkerData, 'file' | 'mode' | 'rawOut'>,
  signal?: AbortSignal,
): Promise<Extract<HeifWorkerReply, { ok: true }>> {
  // Cancelled like the station's other child work, so callers treat it the same (`isProcessAbortedError`).
  const aborted = () => new ProcessAbortedError('libheif (worker)', []);
  if (signal?.aborted) throw aborted();
  const data: HeifWorkerData = {
    ...job,
    libheifPath: locateLibheif().bundle,
    maxPixels: MAX_HEIF_PIXELS,
    maxFileBytes: MAX_HEIF_FILE_BYTES,
  };
  // stdout/stderr captured: libheif prints its parse errors there, which would otherwise reach the
  // station's own output (and the CLI's JSON). The last line becomes the failure's detail.
  const worker = new Worker(heifWorkerSource(), {
    eval: true,
    execArgv: [],
    workerData: data,
    stdout: true,
    stderr: true,
  });
  let said = '';
  const listen = (chunk: Buffer) => {
    said = (said + chunk.toString('utf8')).slice(-2000);
  };
  worker.stdout.on('data', listen);
  worker.stderr.on('data', listen);
  const lastLine = () => libheifComplaint(said);
  const onAbort = () => void worker.terminate();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const reply = await new Promise<HeifWorkerReply>((resolve, reject) => {
      worker.once('message', (message: HeifWorkerReply) => resolve(message));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the HEIF worker stopped (exit code ${code})`)));
    });
    if (reply.ok) return reply;
    switch (reply.reason) {
      case 'tooLarge':
        throw new DeriveError('heifTooLarge', {
          width: reply.width ?? 0,
          height: reply.height ?? 0,
          megapixels: megapixels((reply.width ?? 0) * (reply.height ?? 0)),
          limit: megapixels(MAX_HEIF_PIXELS),
        });
      case 'fileTooLarge':
        throw new DeriveError('heifFileTooLarge', { limitMb: MAX_HEIF_FILE_BYTES / 1024 / 1024 });
      default:
        throw new DeriveError('heifUndecodable', {}, lastLine() || reply.detail);
    }
  } catch (error) {
    if (signal?.aborted) throw aborted();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}

/**
 * What libheif said went wrong, from what the worker printed. libheif-js prints some errors as a
 * JavaScript object over several lines (`Could not get image data for id 3 {`, `code: …`,
 * `message: 'Invalid input: …'`, `}`): its `message` is the reason, not the closing brace a
 * reviewer would otherwise be shown. Otherwise the last line that has words in it; empty when
 * there is none, so the worker's own reply is used.
 */
export function libheifComplaint(output: string): string {
  const messages = [...output.matchAll(/message: '((?:[^'\\]|\\.)*)'/g)];
  const message = messages.at(-1)?.[1]?.replace(/\\n/g, ' ').trim();
  if (message) return message;
  const lines = output.split('\n').map((line) => line.trim());
  return lines.filter((line) => /\p{L}{2}/u.test(line)).at(-1) ?? '';
}

function megapixels(pixels: number): number {
  return Math.round(pixels / 100_000) / 10;
}
