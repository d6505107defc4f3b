import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Server as TusServer } from '@tus/server';
import { EVENTS, TUS_RESUMABLE, type Upload } from '@tus/utils';
import { UNSIGNED_PAYLOAD } from '../../src/shared/syncProtocol';
import { verifyRequest } from '../auth/verifyRequest';
import type { BlobStore } from '../blobs/blobStore';
import { readBody } from '../http/body';
import { SYNC_ERROR_MESSAGES } from '../http/errorMessages';
import type { RequestContext } from '../http/route';
import { SyncError } from '../http/syncError';
import { errorFields } from '../log';
import type { ServerServices } from '../services';
import type { Station } from '../stations/stationsRepo';
import { AdvisoryLocker } from './advisoryLocker';
import { BatchedFileStore, UPLOAD_ID } from './batchedFileStore';
import { finishUpload, type FinishDeps } from './finishUpload';
import { deleteUpload, findUpload, insertUpload, uploadsCreatedBefore } from './uploadsRepo';

export const UPLOADS_PATH = '/api/v1/uploads';
const SHA256 = /^[0-9a-f]{64}$/;
/** How often, at most, expired uploads are looked for (on the next upload created). */
const CLEANUP_EVERY_MS = 10 * 60 * 1000;

export interface UploadDoorOptions {
  /** An unfinished upload older than this is deleted (tus expiration). */
  expiryMs: number;
  /** Largest file accepted. */
  maxBytes: number;
}

/**
 * `/api/v1/uploads/`: tus 1.0 (creation, termination, expiration) by `@tus/server` over
 * `@tus/file-store` in `DIR/uploads/` (its writes batched: `BatchedFileStore`), with the PostgreSQL advisory-lock locker. In front of tus,
 * every request is signed (PATCH with `UNSIGNED-PAYLOAD`: its bytes are checked by the file's
 * SHA-256 at the end), and an upload answers only the station that created it. The station and
 * the request reach tus's hooks through an AsyncLocalStorage, not a header anyone could send.
 *
 * The one departure from plain tus: an upload whose bytes have all arrived is moved into the blob
 * store (or dropped on a hash mismatch, `460 upload.hashMismatch`), after which a HEAD on it still
 * answers "complete" from the database, so a station that lost the last answer does not send the
 * file again.
 */
export class UploadDoor {
  readonly store: BatchedFileStore;
  readonly locker: AdvisoryLocker;
  private readonly tus: TusServer;
  private readonly finish: FinishDeps;
  private readonly current = new AsyncLocalStorage<{ station: Station }>();
  private lastCleanup = 0;

  constructor(
    private readonly services: ServerServices,
    private readonly blobs: BlobStore,
    private readonly options: UploadDoorOptions,
  ) {
    this.store = new BatchedFileStore({
      directory: join(services.dataDir, 'uploads'),
      expirationPeriodInMilliseconds: options.expiryMs,
    });
    this.locker = new AdvisoryLocker(services.sql);
    this.finish = {
      sql: services.sql,
      store: this.store,
      blobs,
      locker: this.locker,
      clock: services.clock,
      log: services.log,
    };
    this.tus = new TusServer({
      path: UPLOADS_PATH,
      datastore: this.store,
      locker: this.locker,
      // The station resolves it against the URL it used: right behind a proxy or on another instance.
      relativeLocation: true,
      respectForwardedHeaders: false,
      maxSize: options.maxBytes,
      namingFunction: () => randomBytes(16).toString('hex'),
      onUploadCreate: (_req, upload) => this.onCreate(upload),
      onUploadFinish: async (_req, upload) => this.onFinish(upload),
      // tus's own refusals and ours carry a status; anything else is a fault of ours, logged here
      // and answered without its message (which may hold a path or SQL).
      onResponseError: (_req, error) => {
        if ('status_code' in error && typeof error.status_code === 'number') return undefined;
        this.services.log.error('upload request failed', errorFields(error));
        return { status_code: 500, body: errorBody('internal') };
      },
    });
    // A terminated upload (tus DELETE) leaves no record behind either.
    this.tus.on(EVENTS.POST_TERMINATE, (_req, _res, id: string) => {
      deleteUpload(services.sql, id).catch((error: unknown) =>
        services.log.warn('an ended upload kept its record', { upload: id, ...errorFields(error) }),
      );
    });
  }

  async handle(ctx: RequestContext): Promise<void> {
    const method = (ctx.req.method ?? 'GET').toUpperCase();
    if (!['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'].includes(method))
      throw new SyncError('request.invalid', `${method} on an upload`, { status: 405 });
    // Only PATCH carries bytes (checked by the file's hash at the end); any other request is
    // read whole here (it may hold none: no creation-with-upload) and signed by its body's hash.
    const bodySha256 = method === 'PATCH' ? UNSIGNED_PAYLOAD : (await readBody(ctx.req, 0)).sha256;
    const station = await verifyRequest(
      this.services.sql,
      { method, pathAndQuery: ctx.pathAndQuery, headers: ctx.req.headers, bodySha256 },
      this.services.clock(),
    );
    if (method === 'POST') {
      if (ctx.url.pathname.replace(/\/$/, '') !== UPLOADS_PATH)
        throw new SyncError('request.invalid', 'POST to an upload');
      this.cleanUpSoon();
    } else if (method !== 'OPTIONS') {
      const id = ctx.url.pathname.slice(UPLOADS_PATH.length + 1);
      const row = UPLOAD_ID.test(id) ? await findUpload(this.services.sql, id) : null;
      // Another station's upload is answered as if it did not exist.
      if (!row || row.stationId !== station.id) throw new SyncError('upload.notFound', id);
      if (row.finishedAt) return this.answerFinished(ctx, method, row.size ?? 0);
      if (method === 'HEAD' && (await this.allBytesIn(id))) {
        const done = await finishUpload(this.finish, id);
        if (done.outcome === 'placed') return this.answerFinished(ctx, method, done.size);
        if (done.outcome !== 'incomplete') throw new SyncError('upload.notFound', `${id}: ${done.outcome}`);
      }
    }
    await this.current.run({ station }, () => this.tus.handle(ctx.req, ctx.res));
  }

  /** Every byte is in but the upload was never placed: the server stopped between the two. */
  private async allBytesIn(id: string): Promise<boolean> {
    const upload = await this.store.getUpload(id).catch(() => null);
    return upload !== null && upload.size !== undefined && upload.offset === upload.size;
  }

  /** A finished upload: complete for HEAD and PATCH; a DELETE removes only the record, never the blob. */
  private async answerFinished(ctx: RequestContext, method: string, size: number): Promise<void> {
    ctx.req.resume();
    const id = ctx.url.pathname.slice(UPLOADS_PATH.length + 1);
    if (method === 'DELETE') await deleteUpload(this.services.sql, id);
    const headers: Record<string, string> = { 'Tus-Resumable': TUS_RESUMABLE, 'Cache-Control': 'no-store' };
    if (method !== 'DELETE') {
      headers['Upload-Offset'] = String(size);
      headers['Upload-Length'] = String(size);
    }
    ctx.res.writeHead(method === 'HEAD' ? 200 : 204, headers);
    ctx.res.end();
  }

  private async onCreate(upload: Upload): Promise<{ metadata?: Upload['metadata'] }> {
    const station = this.current.getStore()?.station;
    if (!station) throw this.refusal(500, 'internal', 'an upload created outside a signed request');
    const sha256 = upload.metadata?.sha256 ?? '';
    const name = upload.metadata?.name ?? '';
    if (!SHA256.test(sha256))
      throw this.refusal(400, 'request.invalid', 'Upload-Metadata needs sha256 (lowercase hex)');
    if (!name || name.length > 1024) throw this.refusal(400, 'request.invalid', 'Upload-Metadata needs a name');
    if (upload.size === undefined) throw this.refusal(400, 'request.invalid', 'Upload-Length is required');
    // A package holds no empty file (an import skips them), and tus would finish one inside its
    // creation request, where the upload cannot be moved into the blob store and still answered.
    if (upload.size === 0) throw this.refusal(400, 'request.invalid', 'an empty file is not uploaded');
    await insertUpload(this.services.sql, {
      id: upload.id,
      stationId: station.id,
      sha256,
      size: upload.size,
      name,
      createdAt: this.services.clock(),
    });
    return { metadata: { sha256, name, station: station.id } };
  }

  private async onFinish(
    upload: Upload,
  ): Promise<{ status_code?: number; headers?: Record<string, string>; body?: string }> {
    const done = await finishUpload(this.finish, upload.id);
    if (done.outcome === 'placed') return {};
    if (done.outcome === 'mismatch')
      return {
        status_code: 460,
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: errorBody('upload.hashMismatch'),
      };
    throw this.refusal(500, 'internal', `upload ${upload.id} finished as ${done.outcome}`);
  }

  /** A refusal from inside a tus hook: tus answers it with this status and body; the detail goes to the log. */
  private refusal(
    status: number,
    code: 'request.invalid' | 'internal',
    detail: string,
  ): { status_code: number; body: string } {
    this.services.log.info('upload refused', { code, detail });
    return { status_code: status, body: errorBody(code) };
  }

  /** Expired uploads: tus deletes their files; their rows (and finished uploads' rows) go with them. */
  async cleanUpExpired(): Promise<number> {
    // tus gives up on its whole sweep at the first upload it cannot remove; the rows below still go.
    const removed = await this.tus.cleanUpExpiredUploads().catch((error: unknown) => {
      this.services.log.warn('tus could not remove every expired upload', errorFields(error));
      return 0;
    });
    const before = new Date(this.services.clock().getTime() - this.options.expiryMs);
    for (const row of await uploadsCreatedBefore(this.services.sql, before)) {
      const lock = this.locker.newLock(row.id);
      try {
        await lock.lock(AbortSignal.timeout(5_000), () => undefined);
      } catch {
        continue;
      }
      try {
        // A finished upload's file is normally gone; one left by a stop between the database's
        // commit and the unlink is only a second name of its blob, which keeps the bytes.
        await unlink(join(this.store.directory, row.id)).catch(() => undefined);
        await unlink(join(this.store.directory, `${row.id}.json`)).catch(() => undefined);
        await deleteUpload(this.services.sql, row.id);
      } finally {
        await lock.unlock();
      }
    }
    return removed;
  }

  private cleanUpSoon(): void {
    const now = Date.now();
    if (now - this.lastCleanup < Math.min(CLEANUP_EVERY_MS, this.options.expiryMs)) return;
    this.lastCleanup = now;
    void this.cleanUpExpired().catch((error: unknown) =>
      this.services.log.warn('cleaning expired uploads failed', errorFields(error)),
    );
  }
}

function errorBody(code: 'upload.hashMismatch' | 'request.invalid' | 'internal'): string {
  return JSON.stringify({ error: { code, message: SYNC_ERROR_MESSAGES.en[code] } });
}
