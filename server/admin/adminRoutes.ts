import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { createEnrolCode } from '../enrol/enrolCodes';
import { readJson } from '../http/body';
import { sendError, sendJson } from '../http/respond';
import type { RequestContext, Route } from '../http/route';
import { listStations, revokeStation } from '../stations/stationsRepo';
import { stationSummary } from '../stations/stationSummary';

/**
 * What the server's commands ask the running server (PGlite lets one process open the database):
 * only from loopback, only with this run's token from `DIR/admin.json`.
 */
export function adminRoutes(): Route[] {
  return [
    {
      methods: ['POST'],
      path: '/admin/enrol-code',
      async handle(ctx) {
        if (!authorised(ctx)) return;
        const { sql, serverKey, clock, log } = ctx.services;
        const made = await createEnrolCode(sql, serverKey.fingerprint, clock());
        log.info('enrolment code made', { expiresAt: made.expiresAt.toISOString() });
        sendJson(ctx.res, 200, { code: made.code, expiresAt: made.expiresAt.toISOString() });
      },
    },
    {
      methods: ['POST'],
      path: '/admin/station-revoke',
      async handle(ctx) {
        if (!authorised(ctx)) return;
        const body = await readJson(ctx.req, z.object({ stationId: z.string().min(1).max(200) }));
        const outcome = await revokeStation(ctx.services.sql, body.stationId, ctx.services.clock());
        ctx.services.log.info('station revocation', { stationId: body.stationId, outcome });
        sendJson(ctx.res, 200, { outcome });
      },
    },
    {
      methods: ['GET'],
      path: '/admin/stations',
      async handle(ctx) {
        if (!authorised(ctx)) return;
        sendJson(ctx.res, 200, (await listStations(ctx.services.sql)).map(stationSummary));
      },
    },
  ];
}

function authorised(ctx: RequestContext): boolean {
  const m = /^Bearer ([0-9a-f]{64})$/.exec(ctx.req.headers.authorization ?? '');
  const expected = Buffer.from(ctx.services.adminToken, 'utf8');
  const given = Buffer.from(m?.[1] ?? '', 'utf8');
  const ok = ctx.fromLoopback && given.length === expected.length && timingSafeEqual(given, expected);
  if (!ok) {
    ctx.req.resume();
    sendError(ctx.res, 401, 'operator.unauthorized', ctx.lang);
  }
  return ok;
}
