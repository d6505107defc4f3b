import { createRequire } from 'node:module';
import path from 'node:path';
import type { Logger } from '../../engineApi';
import { runProcess } from './runProcess';

/** Where ffmpeg and ffprobe come from, and which version they are (recorded in every derived file's provenance). */
export interface ToolInfo {
  path: string;
  version: string;
}

export interface MediaTools {
  ffmpeg: ToolInfo;
  ffprobe: ToolInfo;
}

export interface ResolveMediaToolsOptions {
  /** Explicit setting; tried first. */
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Folder of the binaries shipped with the packaged app (e.g. `process.resourcesPath/bin`). */
  bundledDir?: string;
  /** Try `@ffmpeg-installer/ffmpeg` / `@ffprobe-installer/ffprobe`. Default true. */
  useNpmPackages?: boolean;
  /** Try the bare name on PATH. Default true. */
  usePath?: boolean;
  /** Defaults to `process.env`; read for `STATION_FFMPEG` / `STATION_FFPROBE`. */
  env?: Record<string, string | undefined>;
  log?: Logger;
}

type ToolName = 'ffmpeg' | 'ffprobe';

interface Candidate {
  source: 'option' | 'env' | 'bundled' | 'npm' | 'PATH';
  path: string;
}

const VERSION_TIMEOUT_MS = 15_000;
const ENV_NAMES: Record<ToolName, string> = { ffmpeg: 'STATION_FFMPEG', ffprobe: 'STATION_FFPROBE' };
const NPM_PACKAGES: Record<ToolName, string> = {
  ffmpeg: '@ffmpeg-installer/ffmpeg',
  ffprobe: '@ffprobe-installer/ffprobe',
};

/**
 * Finds working ffmpeg and ffprobe binaries. Each candidate is run with `-version`; the first that
 * answers wins, in this order: explicit option, env `STATION_FFMPEG`/`STATION_FFPROBE`, `bundledDir`,
 * the npm installer packages, PATH. A configured path that does not work is logged and skipped.
 * Throws an Error naming every place tried when nothing works.
 */
export async function resolveMediaTools(opts: ResolveMediaToolsOptions = {}): Promise<MediaTools> {
  const [ffmpeg, ffprobe] = await Promise.all([
    resolveTool('ffmpeg', opts.ffmpegPath, opts),
    resolveTool('ffprobe', opts.ffprobePath, opts),
  ]);
  return { ffmpeg, ffprobe };
}

async function resolveTool(name: ToolName, explicit: string | undefined, opts: ResolveMediaToolsOptions) {
  const tried: string[] = [];
  for (const candidate of listCandidates(name, explicit, opts)) {
    try {
      const version = await readToolVersion(candidate.path);
      opts.log?.info('media tool found', { tool: name, source: candidate.source, path: candidate.path, version });
      return { path: candidate.path, version };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      tried.push(`${candidate.source} ${candidate.path} (${why})`);
      if (candidate.source === 'option' || candidate.source === 'env') {
        opts.log?.warn('configured media tool does not work, trying the next', { tool: name, path: candidate.path });
      }
    }
  }
  throw new Error(`No working ${name} found. Tried: ${tried.length > 0 ? tried.join('; ') : 'nothing'}`);
}

function listCandidates(name: ToolName, explicit: string | undefined, opts: ResolveMediaToolsOptions): Candidate[] {
  const env = opts.env ?? process.env;
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  const candidates: Candidate[] = [];
  if (explicit) candidates.push({ source: 'option', path: explicit });
  const fromEnv = env[ENV_NAMES[name]];
  if (fromEnv) candidates.push({ source: 'env', path: fromEnv });
  if (opts.bundledDir) candidates.push({ source: 'bundled', path: path.join(opts.bundledDir, exe) });
  if (opts.useNpmPackages !== false) {
    const fromNpm = locateNpmBinary(name);
    if (fromNpm) candidates.push({ source: 'npm', path: fromNpm });
  }
  if (opts.usePath !== false) candidates.push({ source: 'PATH', path: exe });
  return candidates;
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
