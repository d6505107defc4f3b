import { mkdir, rm } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { WritableDB } from '../db/database';
import type { MediaInfo } from '../../shared/schemas';
import type { Logger } from '../engineApi';
import type { MediaTools } from '../media/tools/binaries';
import { makeProxy, makeThumbnail, type DerivedMedia } from '../media/derive/derive';
import { DeriveError } from '../media/derive/deriveError';
import { makeFilmstrip, type FilmstripResult } from '../media/derive/filmstrip';
import { makeHeifStill, type HeifStill } from '../media/derive/heifStill';
import { isProcessAbortedError } from '../media/tools/runProcess';
import { HashCopier } from '../store/hashCopy';
import { derivedPath, evidencePath, type StationLayout } from '../store/layout';
import {
  claimNextJob,
  completeJob,
  failJob,
  isHeifPhoto,
  jobCounts,
  type DerivedJob,
  type DerivedVariant,
  type JobProblem,
} from './derivedRepo';

/** The filmstrip is a folder of sheets with an `index.json`; the row points at the index. */
const FILE_NAMES: Record<DerivedVariant, string> = {
  thumbnail: 'thumbnail.jpg',
  filmstrip: 'filmstrip',
  proxy: 'proxy.mp4',
};
/** A photo's proxy is a still: its full-size JPEG preview. */
const PHOTO_PROXY_FILE = 'preview.jpg';
/** The first filmstrip format: one sprite of 20 tiles. Removed once its replacement is made. */
const OLD_FILMSTRIP_FILE = 'filmstrip.jpg';

const MAX_ATTEMPTS = 3;

export interface DerivedRunnerOptions {
  db: WritableDB;
  layout: StationLayout;
  tools: MediaTools;
  log: Logger;
  now: () => Date;
  onChange(counts: { pending: number; running: number; failed: number }, itemId: string): void;
}

/**
 * Works through the derived-media queue one job at a time in the background: the queue lives in
 * the database, so jobs survive restarts, and one ffmpeg at a time leaves a core for the reviewer.
 */
export class DerivedRunner {
  private running = false;
  private stopped = false;
  private readonly controller = new AbortController();
  private readonly hasher = new HashCopier();
  private idleWaiters: (() => void)[] = [];
  private current: Promise<void> | null = null;

  constructor(private readonly opts: DerivedRunnerOptions) {}

  /** Starts working if idle; safe to call after every enqueue. */
  kick(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.current = this.loop().finally(() => {
      this.running = false;
      this.current = null;
      for (const w of this.idleWaiters.splice(0)) w();
    });
  }

  /** Resolves when the queue is empty (or the runner stopped). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort();
    await this.current?.catch(() => undefined);
    await this.hasher.close();
  }

  private async loop(): Promise<void> {
    const { db, now } = this.opts;
    for (;;) {
      if (this.stopped) return;
      const job = claimNextJob(db, now());
      if (!job) return;
      this.opts.onChange(jobCounts(db), job.itemId);
      await this.runJob(job);
      this.opts.onChange(jobCounts(db), job.itemId);
    }
  }

  private async runJob(job: DerivedJob): Promise<void> {
    const { db, layout, tools, log, now } = this.opts;
    const row = db.prepare('SELECT sha256, media FROM items WHERE id = ?').get(job.itemId) as
      { sha256: string; media: string } | undefined;
    if (!row) {
      failJob(db, job, { problem: 'itemGone', params: {}, detail: '' }, false, now());
      return;
    }
    const source = evidencePath(layout, row.sha256);
    const signal = this.controller.signal;
    const media = JSON.parse(row.media) as MediaInfo;
    const heif = isHeifPhoto(media);
    const fileName = heif && job.variant === 'proxy' ? PHOTO_PROXY_FILE : FILE_NAMES[job.variant];
    const out = derivedPath(layout, job.itemId, fileName);
    // Known facts save ffmpeg a probe; this ffmpeg does not apply EXIF orientation by itself.
    const known = {
      signal,
      ...(media.durationSec !== undefined ? { durationSec: media.durationSec } : {}),
      ...(media.rotation !== undefined ? { rotation: media.rotation } : {}),
    };
    try {
      await mkdir(dirname(out), { recursive: true });
      const made: DerivedMedia | FilmstripResult | HeifStill = heif
        ? await makeHeifStill(tools, source, out, {
            size: job.variant === 'thumbnail' ? 'thumbnail' : 'full',
            signal,
            log,
          })
        : job.variant === 'thumbnail'
          ? await makeThumbnail(tools, source, out, known)
          : job.variant === 'filmstrip'
            ? await makeFilmstrip(tools, source, out, known)
            : await makeProxy(tools, source, out, known);
      // A filmstrip's row hashes its index, which holds the hash of every sheet.
      const file = 'indexPath' in made ? made.indexPath : made.path;
      const { sha256 } = await this.hasher.hash(file, { signal });
      completeJob(
        db,
        job,
        {
          file: relative(layout.derivedDir, file),
          sha256,
          provenance: {
            sourceSha256: row.sha256,
            variant: job.variant,
            tool: made.tool,
            toolVersion: made.toolVersion,
            mediaTools: made.mediaTools,
            args: made.args,
            // A HEIC is decoded by libheif first; ffmpeg encodes the JPEG from its pixels.
            ...heifProvenance(made),
            // The index (tile size, grid, sheets, the time of every tile) is read from here.
            ...('index' in made ? { ...made.index, sheetSha256: made.sheets.map((s) => s.sha256) } : {}),
          },
        },
        now(),
      );
      if (job.variant === 'filmstrip') await rm(derivedPath(layout, job.itemId, OLD_FILMSTRIP_FILE), { force: true });
    } catch (error) {
      if (this.stopped || isProcessAbortedError(error)) {
        // Shutting down: the job goes back to the queue at the next start.
        return;
      }
      const why = problemOf(error);
      // A photo too large or a file the decoder cannot read fails the same way every time.
      const retry = !(error instanceof DeriveError) && job.attempts < MAX_ATTEMPTS;
      log.warn('derived media job failed', { itemId: job.itemId, variant: job.variant, ...why, retry });
      failJob(db, job, why, retry, now());
    }
  }
}

function problemOf(error: unknown): JobProblem {
  if (error instanceof DeriveError) return { problem: error.problem, params: error.params, detail: error.detail };
  const detail = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EIO')
    return { problem: 'sourceUnreadable', params: {}, detail };
  return { problem: 'toolFailed', params: {}, detail };
}

/** The decoder (name, versions) and the size it decoded, for a HEIC's still; nothing otherwise. */
function heifProvenance(made: DerivedMedia | FilmstripResult | HeifStill): Record<string, unknown> {
  if (!('decoder' in made)) return {};
  return { decoder: made.decoder, decodedWidth: made.width, decodedHeight: made.height };
}
