import { adminRoutes } from './admin/adminRoutes';
import { enrolRoutes } from './enrol/enrolRoutes';
import type { Route } from './http/route';
import { operatorRoutes } from './operators/operatorRoutes';
import { stationRoutes } from './stations/stationRoutes';

/**
 * Every route the server answers, in one list. The upload side plugs in here: the tus handler as
 * a prefix route on `/api/v1/uploads/` (all methods), and `POST /api/v1/have` and
 * `POST /api/v1/commit` (server/upload/, server/commit/), each verifying its request with
 * `verifyRequest` / `readSignedJson` from server/auth/.
 */
export function serverRoutes(): Route[] {
  return [...enrolRoutes(), ...stationRoutes(), ...adminRoutes(), ...operatorRoutes()];
}
