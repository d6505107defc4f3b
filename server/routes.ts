import { adminRoutes } from './admin/adminRoutes';
import { enrolRoutes } from './enrol/enrolRoutes';
import type { Route } from './http/route';
import { operatorRoutes } from './operators/operatorRoutes';
import type { ServerServices } from './services';
import { stationRoutes } from './stations/stationRoutes';
import { uploadOptionsFromEnv, uploadRoutes } from './upload/uploadRoutes';

/**
 * Every route the server answers, in one list: the upload side (server/upload/uploadRoutes.ts)
 * is the tus handler as a prefix route on `/api/v1/uploads/` (all methods), and
 * `POST /api/v1/have` and `POST /api/v1/commit`, each verifying its request with
 * `verifyRequest` / `readSignedJson` from server/auth/. A route with a `close` is closed at
 * shutdown, after the listener and before the database.
 */
export function serverRoutes(services: ServerServices, env: NodeJS.ProcessEnv = {}): Route[] {
  return [
    ...enrolRoutes(),
    ...stationRoutes(),
    ...adminRoutes(),
    ...operatorRoutes(),
    ...uploadRoutes(services, uploadOptionsFromEnv(env)),
  ];
}
