import { AppError } from '../../../shared/errors';
import { access, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../../engineApi';
import { runProcess } from './runProcess';

/**
 * Where ffmpeg and ffprobe come from. Both tools are taken from ONE place, as a pair of the same
 * release: the probe plans and measures the cuts the encoder makes, so a newer ffprobe reading an
 * older ffmpeg's output (or the reverse) is a mismatch the station does not choose when it has a
 * choice. In order: a configured pair, the packaged app's bundled folder, `STATION_FFMPEG_DIR`, the
 * system's (PATH); the npm installer packages last (ffmpeg 4.1 from 2018 beside a 2023 ffprobe),
 * with a warning the status bar and the station log show.
 */

/** Where a tool was found. */
export type ToolSource = 'configured' | 'bundled' | 'STATION_FFMPEG_DIR' | 'PATH' | 'npm';

export interface ToolInfo {
  path: string;
  /** The banner's version word (`5.1.9-0+deb12u1`, `N-47683-g0e8eb07980-static`). */
  version: string;
  source: ToolSource;
  /** libavcodec and libavformat as `major.minor.micro`: what tells the release of a git build. */
  libavcodec: string | null;
  libavformat: string | null;
}

/**
 * Why the resolved pair is not a current matched one: `npm-fallback` (the npm installer
 * packages: a 2018 ffmpeg and a newer ffprobe), `mismatched` (two releases, or two folders).
 */
export type MediaToolsWarning = 'npm-fallback' | 'mismatched';

export interface MediaTools {
  ffmpeg: ToolInfo;
  ffprobe: ToolInfo;
  /** Null for a matched pair (one folder, one release). */
  warning: MediaToolsWarning | null;
}

export interface ResolveMediaToolsOptions {
  /** Explicit setting; tried first (the other tool is looked for beside it when not given). */
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Folder of the binaries shipped with the packaged app (e.g. `process.resourcesPath/bin`). */
  bundledDir?: string;
  /** Try `@ffmpeg-installer/ffmpeg` / `@ffprobe-installer/ffprobe` last. Default true. */
  useNpmPackages?: boolean;
  /** Try the system's tools (the OS search path). Default true. */
  usePath?: boolean;
  /**
   * Station settings: `STATION_FFMPEG` / `STATION_FFPROBE` (a configured pair), `STATION_FFMPEG_DIR`.
   * Defaults to `process.env`. The OS search path is always `process.env.PATH`.
   */
  env?: Record<string, string | undefined>;
  log?: Logger;
}

type ToolName = 'ffmpeg' | 'ffprobe';

interface PairCandidate {
  source: ToolSource;
  ffmpeg: string;
  ffprobe: string;
}

const VERSION_TIMEOUT_MS = 15_000;
const NPM_PACKAGES: Record<ToolName, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};
/**
 * `STATION_MEDIA_TOOLS=npm-fallback` in the process environment skips every other source: the CI
 * smoke run of the fallback pair. Read from `process.env` even when `env` is given, since tests
 * pass `env: {}` to keep a developer's settings out.
 */
const FORCE_VARIABLE = 'STATION_MEDIA_TOOLS';

/**
 * Finds a working ffmpeg/ffprobe pair. Each candidate pair is run with `-version`; the first
 * matched pair wins. A configured pair is taken even when mismatched (someone chose it), with the
 * warning. Without a matched pair, the first working one is taken with its warning. Throws
 * `media.toolsMissing`, naming every place tried, when no pair works.
 */
export async function resolveMediaTools(opts: ResolveMediaToolsOptions = {}): Promise<MediaTools> {
  const tried: string[] = [];
  let firstWorking: MediaTools | null = null;
  for (const candidate of listPairs(opts)) {
    const pair = await tryPair(candidate, tried, opts.log);
    if (!pair) continue;
    if (pair.warning === null || candidate.source === 'configured') return announce(pair, opts.log);
    firstWorking ??= pair;
  }
  if (firstWorking) return announce(firstWorking, opts.log);
  throw new AppError('media.toolsMissing', { tried: tried.length > 0 ? tried.join('; ') : '—' });
}

function announce(tools: MediaTools, log: Logger | undefined): MediaTools {
  const about = {
    ffmpeg: `${tools.ffmpeg.version} (${tools.ffmpeg.source} ${tools.ffmpeg.path})`,
    ffprobe: `${tools.ffprobe.version} (${tools.ffprobe.source} ${tools.ffprobe.path})`,
  };
  if (tools.warning === null) log?.info('media tools: a matched pair', about);
  else log?.warn(`media tools: ${WARNING_LOG_TEXT[tools.warning]}`, { ...about, warning: tools.warning });
  return tools;
}

const WARNING_LOG_TEXT: Record<MediaToolsWarning, string> = {
  'npm-fallback':
    'using the npm fallback pair (ffmpeg 4.1 from 2018 beside a newer ffprobe); install a current ffmpeg or set STATION_FFMPEG_DIR',
  mismatched: 'ffmpeg and ffprobe are not one release from one folder',
};

async function tryPair(candidate: PairCandidate, tried: string[], log: Logger | undefined): Promise<MediaTools | null> {
  const [ffmpeg, ffprobe] = await Promise.all([
    readTool(candidate.ffmpeg, candidate.source).catch((e: unknown) => e),
    readTool(candidate.ffprobe, candidate.source).catch((e: unknown) => e),
  ]);
  if (ffmpeg instanceof Error || ffprobe instanceof Error || !isTool(ffmpeg) || !isTool(ffprobe)) {
    const why = [ffmpeg, ffprobe].map((r) => (r instanceof Error ? r.message : 'ok')).join(', ');
    tried.push(`${candidate.source} ${candidate.ffmpeg} + ${candidate.ffprobe} (${why})`);
    if (candidate.source !== 'PATH' && candidate.source !== 'npm') {
      log?.warn('configured media tools do not work, trying the next', { source: candidate.source, why });
    }
    return null;
  }
  const warning: MediaToolsWarning | null =
    candidate.source === 'npm' ? 'npm-fallback' : isMatchedPair(ffmpeg, ffprobe) ? null : 'mismatched';
  return { ffmpeg, ffprobe, warning };
}

const isTool = (value: unknown): value is ToolInfo => typeof value === 'object' && value !== null && 'path' in value;

/** One folder and one release: the same libavcodec and libavformat (major.minor), and the same banner version. */
export function isMatchedPair(ffmpeg: ToolInfo, ffprobe: ToolInfo): boolean {
  const majorMinor = (v: string | null) => (v === null ? null : v.split('.').slice(0, 2).join('.'));
  return (
    path.dirname(ffmpeg.path) === path.dirname(ffprobe.path) &&
    ffmpeg.version === ffprobe.version &&
    ffmpeg.libavcodec !== null &&
    majorMinor(ffmpeg.libavcodec) === majorMinor(ffprobe.libavcodec) &&
    majorMinor(ffmpeg.libavformat) === majorMinor(ffprobe.libavformat)
  );
}

function listPairs(opts: ResolveMediaToolsOptions): PairCandidate[] {
  const env = opts.env ?? process.env;
  const exe = (name: ToolName) => (process.platform === 'win32' ? `${name}.exe` : name);
  const inDir = (dir: string, source: ToolSource): PairCandidate => ({
    source,
    ffmpeg: path.join(dir, exe('ffmpeg')),
    ffprobe: path.join(dir, exe('ffprobe')),
  });
  const npm = (): PairCandidate[] => {
    if (opts.useNpmPackages === false) return [];
    const ffmpeg = locateNpmBinary('ffmpeg');
    const ffprobe = locateNpmBinary('ffprobe');
    return ffmpeg && ffprobe ? [{ source: 'npm', ffmpeg, ffprobe }] : [];
  };
  if (process.env[FORCE_VARIABLE] === 'npm-fallback') return npm();

  const pairs: PairCandidate[] = [];
  const ffmpegSet = opts.ffmpegPath ?? env.STATION_FFMPEG;
  const ffprobeSet = opts.ffprobePath ?? env.STATION_FFPROBE;
  if (ffmpegSet || ffprobeSet) {
    // One configured tool: the other is looked for beside it.
    const beside = (given: string, name: ToolName) => path.join(path.dirname(given), exe(name));
    pairs.push({
      source: 'configured',
      ffmpeg: ffmpegSet ?? beside(ffprobeSet ?? '', 'ffmpeg'),
      ffprobe: ffprobeSet ?? beside(ffmpegSet ?? '', 'ffprobe'),
    });
  }
  if (opts.bundledDir) pairs.push(inDir(opts.bundledDir, 'bundled'));
  if (env.STATION_FFMPEG_DIR) pairs.push(inDir(env.STATION_FFMPEG_DIR, 'STATION_FFMPEG_DIR'));
  if (opts.usePath !== false) {
    // Every PATH folder that holds both tools, in PATH order: each is one pair.
    for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
      pairs.push(inDir(dir, 'PATH'));
    }
  }
  return [...dedupe(pairs), ...npm()];
}

function dedupe(pairs: PairCandidate[]): PairCandidate[] {
  const seen = new Set<string>();
  return pairs.filter((p) => {
    const key = `${p.ffmpeg}\0${p.ffprobe}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function locateNpmBinary(name: ToolName): string | null {
  try {
    const required: unknown = createRequire(import.meta.url)(NPM_PACKAGES[name]);
    const found = (required as { path?: unknown }).path;
    if (typeof found !== 'string') return null;
    // Inside a packaged Electron app the binary is unpacked next to the asar archive, since an
    // executable inside app.asar cannot be spawned.
    return found.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  } catch {
    // The installer packages throw (a plain string) on platforms they do not ship a binary for.
    return null;
  }
}

async function readTool(bin: string, source: ToolSource): Promise<ToolInfo> {
  // A PATH folder without the tool is the common case: no process for it.
  await access(bin, constants.X_OK);
  const { stdout } = await runProcess(bin, ['-version'], { collectStdout: true, timeoutMs: VERSION_TIMEOUT_MS });
  return { path: bin, source, ...parseVersionOutput(stdout) };
}

/** Runs `bin -version` and returns the version word of its first line ("ffmpeg version 6.1 …" → "6.1"). */
export async function readToolVersion(bin: string): Promise<string> {
  const { stdout } = await runProcess(bin, ['-version'], { collectStdout: true, timeoutMs: VERSION_TIMEOUT_MS });
  return parseToolVersion(stdout);
}

export function parseToolVersion(output: string): string {
  const firstLine = output.split(/\r?\n/, 1)[0] ?? '';
  const match = /^\S+ version (\S+)/.exec(firstLine);
  if (!match?.[1]) throw new Error(`unexpected -version output: ${firstLine.slice(0, 120)}`);
  return match[1];
}

/** The banner's version and the libav* library lines (`libavcodec     59. 37.100 / 59. 37.100`). */
export function parseVersionOutput(output: string): Pick<ToolInfo, 'version' | 'libavcodec' | 'libavformat'> {
  const library = (name: string) => {
    const match = new RegExp(`^${name}\\s+(\\d+)\\.\\s*(\\d+)\\.\\s*(\\d+)`, 'm').exec(output);
    return match ? `${match[1]}.${match[2]}.${match[3]}` : null;
  };
  return { version: parseToolVersion(output), libavcodec: library('libavcodec'), libavformat: library('libavformat') };
}

/**
 * ffmpeg's release major from its libavcodec (58 → 4, 59 → 5, 60 → 6, 61 → 7, 62 → 8): git
 * builds such as the npm package's `N-47683-…` have no release number in their banner.
 */
export function ffmpegMajor(tool: ToolInfo): number | null {
  const codecMajor = Number(tool.libavcodec?.split('.')[0]);
  return Number.isInteger(codecMajor) && codecMajor >= 54 ? codecMajor - 54 : null;
}

/**
 * True for the 2018 encoder (ffmpeg 4.x and older): the workarounds that only it needs apply
 * only when this says so. An unknown release is treated as old, so a workaround is not lost.
 */
export function isLegacyEncoder(tools: MediaTools): boolean {
  const major = ffmpegMajor(tools.ffmpeg);
  return major === null || major < 5;
}

/** What a derivation's provenance records of the tools that made it. */
export interface MediaToolsProvenance {
  ffmpeg: { version: string; source: ToolSource; libavcodec: string | null; libavformat: string | null };
  ffprobe: { version: string; source: ToolSource; libavcodec: string | null; libavformat: string | null };
  matched: boolean;
}

export function mediaToolsProvenance(tools: MediaTools): MediaToolsProvenance {
  const of = ({ version, source, libavcodec, libavformat }: ToolInfo) => ({ version, source, libavcodec, libavformat });
  return { ffmpeg: of(tools.ffmpeg), ffprobe: of(tools.ffprobe), matched: tools.warning === null };
}
