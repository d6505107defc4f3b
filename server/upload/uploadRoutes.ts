import { readSignedJson } from '../auth/signedJson';
import { BlobStore } from '../blobs/blobStore';
import { CommitDesk } from '../commit/commitDesk';
import { sendJson } from '../http/respond';
import type { Route } from '../http/route';
import type { ServerServices } from '../services';
import type { z } from 'zod';
import { CommitRequest, HaveRequest, type HaveResponse } from '../../src/shared/syncProtocol';
import { UPLOADS_PATH, UploadDoor } from './uploadDoor';

/** A commit lists up to 100 000 files; each entry is a path, a hash and a size. */
const COMMIT_LIMIT_BYTES = 64 * 1024 * 1024;
const HAVE_LIMIT_BYTES = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface UploadRouteOptions {
  /** Unfinished uploads older than this are deleted; default 7 days (a station may be offline that long). */
  uploadExpiryMs?: number;
  /** Largest file accepted; default 1 TiB. */
  maxUploadBytes?: number;
}

/**
 * `SERVER_UPLOAD_EXPIRY_SECONDS`: how long an unfinished upload is kept (tests make it short).
 * Anything but a positive whole number is ignored.
 */
export function uploadOptionsFromEnv(env: NodeJS.ProcessEnv): UploadRouteOptions {
  const seconds = Number(env.SERVER_UPLOAD_EXPIRY_SECONDS);
  return Number.isSafeInteger(seconds) && seconds > 0 ? { uploadExpiryMs: seconds * 1000 } : {};
}

/**
 * The upload side of the protocol (server/PROTOCOL.md, "Upload" and "Commit and receipt"):
 * `POST /api/v1/have`, tus at `/api/v1/uploads/`, `POST /api/v1/commit`.
 */
export function uploadRoutes(services: ServerServices, options: UploadRouteOptions = {}): Route[] {
  const blobs = new BlobStore(services.dataDir, services.sql, services.clock);
  const door = new UploadDoor(services, blobs, {
    expiryMs: options.uploadExpiryMs ?? 7 * DAY_MS,
    maxBytes: options.maxUploadBytes ?? 2 ** 40,
  });
  const desk = new CommitDesk({
    sql: services.sql,
    blobs,
    signer: services.serverKey,
    now: services.clock,
    onDecision: (d) => services.log.info('commit decided', d),
  });
  return [
    {
      methods: ['POST'],
      path: '/api/v1/have',
      async handle(ctx) {
        const { station, body } = await readSignedJson(ctx, HaveRequest, HAVE_LIMIT_BYTES);
        const answer: z.infer<typeof HaveResponse> = { have: await blobs.heldFor(station.id, body.sha256) };
        sendJson(ctx.res, 200, answer);
      },
    },
    {
      methods: ['POST'],
      path: '/api/v1/commit',
      async handle(ctx) {
        const { station, body } = await readSignedJson(ctx, CommitRequest, COMMIT_LIMIT_BYTES);
        const key = ctx.req.headers['idempotency-key'];
        sendJson(ctx.res, 200, await desk.commit(station, typeof key === 'string' ? key : undefined, body));
      },
    },
    { methods: '*', path: UPLOADS_PATH, handle: (ctx) => door.handle(ctx) },
    { methods: '*', prefix: `${UPLOADS_PATH}/`, handle: (ctx) => door.handle(ctx) },
  ];
}
