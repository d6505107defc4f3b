import { AppError } from '../../shared/errors';
import { engineKnownKeys } from '../keys/keyTrust';
import { verifyPackage } from '../package/verifyPackage';
import type { ExportDesk } from '../seal/exportDesk';
import { actorOf, type Handlers, type Services } from './services';

type ExportMethods = 'package.verify' | 'cases.export' | 'cases.exportCancel';

/**
 * Exporting a sealed version and verifying a package, for any signed-in account. Verifying reads
 * only; the station's own key and the imported ones are known to it.
 */
export function exportHandlers(s: Services, desk: ExportDesk): Pick<Handlers, ExportMethods> {
  return {
    'cases.export': (input, call) => desk.export(input, actorOf(call).name),
    'cases.exportCancel': (input) => {
      desk.cancel(input.jobId);
      return { ok: true };
    },
    'package.verify': async (input) => {
      if (!input.path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(input.path)) {
        throw new AppError('input.invalid', { field: 'path', problem: 'must be absolute' });
      }
      return verifyPackage(input.path, {
        known: engineKnownKeys(s.db, s.stationKey.fingerprint),
        ...(input.expectFingerprint ? { expectFingerprint: input.expectFingerprint } : {}),
      });
    },
  };
}
