import { StationStatusRequest, type StationStatusResponse } from '../../src/shared/syncProtocol';
import { readSignedJson } from '../auth/signedJson';
import { DEFAULT_JSON_LIMIT_BYTES } from '../http/body';
import { sendJson } from '../http/respond';
import type { Route } from '../http/route';

/** `POST /api/v1/station`: the signed "who am I to you" a station asks after enrolling. */
export function stationRoutes(): Route[] {
  return [
    {
      methods: ['POST'],
      path: '/api/v1/station',
      async handle(ctx) {
        const { station } = await readSignedJson(ctx, StationStatusRequest, DEFAULT_JSON_LIMIT_BYTES);
        const answer: StationStatusResponse = {
          stationId: station.id,
          stationName: station.name,
          keyFingerprint: station.keyFingerprint,
          enrolledAt: station.enrolledAt.toISOString(),
          serverKeyFingerprint: ctx.services.serverKey.fingerprint,
          serverTime: ctx.services.clock().toISOString(),
        };
        sendJson(ctx.res, 200, answer);
      },
    },
  ];
}
