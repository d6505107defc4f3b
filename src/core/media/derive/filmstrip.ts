import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FilmstripIndex } from '../../../shared/schemas';
import type { Logger } from '../../engineApi';
import { mediaToolsProvenance, type MediaTools, type MediaToolsProvenance } from '../tools/binaries';
import { ffmpegBaseArgs, syncDirectory, syncFile } from '../tools/ffmpegFile';
import { findMainVideo, probeSource, type Rational } from '../probe/packets';
import { formatCommandLine, runProcess } from '../tools/runProcess';

/**
 * The filmstrip of a recording: one tile per keyframe, 160 px wide, in JPEG sheets of 10 x 10
 * tiles (left to right, top to bottom; the last sheet may be partial). Only keyframes are decoded
 * (`-skip_frame nokey`), so hours of footage cost a read of the file and one decode per keyframe.
 * The media time of every tile is read in the same ffmpeg run (`showinfo` on stderr), so the index
 * doubles as the recording's keyframe list, which the player uses to jump from keyframe to keyframe.
 *
 * The sheets and `index.json` are written into a temp folder next to `outDir`, fsynced, and the
 * folder is renamed into place: `outDir` is the old filmstrip or the new one, never a mix.
 */

export const FILMSTRIP_TILE_WIDTH = 160;
export const FILMSTRIP_COLUMNS = 10;
export const FILMSTRIP_ROWS = 10;
export const FILMSTRIP_INDEX_FILE = 'index.json';

export interface FilmstripOptions {
  signal?: AbortSignal;
  log?: Logger;
  /** Fraction done, 0..1, non-decreasing; 1 once the folder is in place. */
  onProgress?: (fraction: number) => void;
  /** Known duration (progress only); probed when absent. */
  durationSec?: number;
}

export interface FilmstripResult {
  /** The folder holding the sheets and `index.json`. */
  dir: string;
  /** `<dir>/index.json`: the index plus each sheet's file name and SHA-256. */
  indexPath: string;
  index: FilmstripIndex;
  sheets: { file: string; sha256: string }[];
  tool: 'ffmpeg';
  toolVersion: string;
  mediaTools: MediaToolsProvenance;
  /** The ffmpeg arguments, with the final output pattern. */
  args: string[];
  commandLine: string;
}

/** What `index.json` holds: the index, and the sheets it was made of. */
export interface FilmstripIndexFile extends FilmstripIndex {
  version: 2;
  sheetFiles: string[];
  sheetSha256: string[];
}

/** Hours of 4K footage: a full read and thousands of keyframe decodes. */
const FILMSTRIP_TIMEOUT_MS = 3 * 60 * 60 * 1000;
const SHEET_PATTERN = '%03d.jpg';

export async function makeFilmstrip(
  tools: MediaTools,
  src: string,
  outDir: string,
  opts: FilmstripOptions = {},
): Promise<FilmstripResult> {
  const source = await probeSource(tools, src, opts);
  const video = findMainVideo(source);
  if (!video) throw new Error(`no video stream in ${src}`);
  const duration = opts.durationSec ?? source.durationSec ?? 0;
  const args = [
    ...['-skip_frame', 'nokey', '-i', src, '-map', `0:${video.index}`, '-an', '-sn', '-dn'],
    // showinfo after the scale: each line has the tile's pts and its size (upright: ffmpeg
    // applies the display rotation before these filters).
    ...['-vf', `scale=${FILMSTRIP_TILE_WIDTH}:-2,setsar=1,showinfo,tile=${FILMSTRIP_COLUMNS}x${FILMSTRIP_ROWS}`],
    ...['-vsync', 'passthrough', '-q:v', '5', '-start_number', '0', '-nostats', '-f', 'image2'],
  ];
  const temp = path.join(path.dirname(outDir), `.${path.basename(outDir)}.${randomBytes(6).toString('hex')}.tmp`);
  const tiles = createTileReader(duration, opts.onProgress);
  try {
    await removeStaleTemps(outDir);
    await mkdir(temp, { recursive: true });
    await runProcess(tools.ffmpeg.path, [...ffmpegBaseArgs('info'), ...args, path.join(temp, SHEET_PATTERN)], {
      signal: opts.signal,
      log: opts.log,
      timeoutMs: FILMSTRIP_TIMEOUT_MS,
      onStderrLine: tiles.onLine,
    });
    const { timesSec, size } = tiles.result();
    const files = (await readdir(temp)).filter((f) => f.endsWith('.jpg')).sort();
    const expected = Math.ceil(timesSec.length / (FILMSTRIP_COLUMNS * FILMSTRIP_ROWS));
    if (timesSec.length === 0 || !size) throw new Error(`no keyframe decoded from ${src}`);
    if (files.length !== expected) throw new Error(`${files.length} filmstrip sheets for ${timesSec.length} tiles`);
    const sheets = await Promise.all(
      files.map(async (file) => ({ file, sha256: await hashFile(path.join(temp, file)) })),
    );
    const index: FilmstripIndex = {
      tileWidth: size.width,
      tileHeight: size.height,
      columns: FILMSTRIP_COLUMNS,
      rows: FILMSTRIP_ROWS,
      sheets: sheets.length,
      timesSec,
    };
    const indexFile: FilmstripIndexFile = {
      version: 2,
      ...index,
      sheetFiles: sheets.map((s) => s.file),
      sheetSha256: sheets.map((s) => s.sha256),
    };
    await writeFile(path.join(temp, FILMSTRIP_INDEX_FILE), JSON.stringify(indexFile));
    for (const file of [...files, FILMSTRIP_INDEX_FILE]) await syncFile(path.join(temp, file));
    await syncDirectory(temp);
    await replaceDirectory(temp, outDir);
    opts.onProgress?.(1);
    const finalArgs = [...ffmpegBaseArgs('info'), ...args, path.join(outDir, SHEET_PATTERN)];
    return {
      dir: outDir,
      indexPath: path.join(outDir, FILMSTRIP_INDEX_FILE),
      index,
      sheets,
      tool: 'ffmpeg',
      toolVersion: tools.ffmpeg.version,
      mediaTools: mediaToolsProvenance(tools),
      args: finalArgs,
      commandLine: formatCommandLine(tools.ffmpeg.path, finalArgs),
    };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** The sheet file of sheet `n` in a filmstrip folder. */
export function filmstripSheetFile(n: number): string {
  return `${String(n).padStart(3, '0')}.jpg`;
}

/** Reads `index.json` back (null when it is missing or of another shape). */
export async function readFilmstripIndexFile(dir: string): Promise<FilmstripIndexFile | null> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dir, FILMSTRIP_INDEX_FILE), 'utf8')) as FilmstripIndexFile;
    return parsed.version === 2 ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Collects showinfo's lines: `config in time_base: 1/12800` once, then one
 * `n: 0 pts: 0 pts_time:0 … s:160x120 …` per tile. The integer pts times the time base is the
 * tile's media time (ffmpeg has already subtracted the container's start).
 */
export function createTileReader(durationSec: number, onProgress?: (fraction: number) => void) {
  let timeBase: Rational | null = null;
  let size: { width: number; height: number } | null = null;
  let reported = 0;
  const timesSec: number[] = [];
  return {
    onLine(line: string) {
      if (!line.includes('showinfo')) return;
      const config = /config in time_base: (\d+)\/(\d+)/.exec(line);
      if (config) {
        timeBase = { num: Number(config[1]), den: Number(config[2]) };
        return;
      }
      const frame = /\bpts:\s*(-?\d+)\b.*?\bs:(\d+)x(\d+)/.exec(line);
      if (!frame || !timeBase) return;
      const seconds = (Number(frame[1]) * timeBase.num) / timeBase.den;
      timesSec.push(Math.max(0, Math.round(seconds * 1e6) / 1e6));
      size ??= { width: Number(frame[2]), height: Number(frame[3]) };
      const fraction = durationSec > 0 ? seconds / durationSec : 0;
      // Held below 1 until the folder is in place.
      if (fraction > reported && fraction < 1) {
        reported = fraction;
        onProgress?.(fraction);
      }
    },
    result: () => ({ timesSec, size }),
  };
}

/**
 * Temp folders of this filmstrip left by a run that was killed (power loss, crash). One filmstrip
 * of an item is made at a time (the derived-media runner runs one job at a time).
 */
async function removeStaleTemps(outDir: string): Promise<void> {
  const prefix = `.${path.basename(outDir)}.`;
  const names = await readdir(path.dirname(outDir)).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(prefix) && n.endsWith('.tmp')))
    await rm(path.join(path.dirname(outDir), name), { recursive: true, force: true });
}

/** Renames `from` over `to`: a present `to` is moved aside first and removed after. */
async function replaceDirectory(from: string, to: string): Promise<void> {
  const aside = `${to}.${randomBytes(6).toString('hex')}.old.tmp`;
  const hadOld = await rename(to, aside).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  await rename(from, to);
  await syncDirectory(path.dirname(to));
  if (hadOld) await rm(aside, { recursive: true, force: true });
}

/** Sheets are a few hundred KiB: read whole, hashed in a moment. */
async function hashFile(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}
