import { EnrolRequest, NonceRequest, type EnrolResponse } from '../../src/shared/syncProtocol';
import { issueNonce } from '../auth/nonces';
import { readJson } from '../http/body';
import { sendJson, sendText } from '../http/respond';
import type { Route } from '../http/route';
import { enrolStation } from './enrolStation';

/** The routes a station uses before it can sign: the server's key, enrolment, and nonces. */
export function enrolRoutes(): Route[] {
  return [
    {
      methods: ['GET', 'HEAD'],
      path: '/api/server-key',
      async handle({ res, services }) {
        sendText(res, 200, services.serverKey.publicKeyPem, 'text/plain; charset=utf-8');
      },
    },
    {
      methods: ['POST'],
      path: '/api/v1/enrol',
      async handle({ req, res, services }) {
        const body = await readJson(req, EnrolRequest);
        const answer: EnrolResponse = await enrolStation(
          services.sql,
          body,
          services.serverKey.fingerprint,
          services.clock(),
        );
        services.log.info('station enrolled', { stationId: answer.stationId, stationName: body.stationName });
        sendJson(res, 201, answer);
      },
    },
    {
      methods: ['POST'],
      path: '/api/v1/nonce',
      async handle({ req, res, services }) {
        const body = await readJson(req, NonceRequest);
        const nonce = await issueNonce(services.sql, body.stationId, services.clock());
        sendJson(res, 200, { nonce });
      },
    },
  ];
}
