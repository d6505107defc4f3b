import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { engineKnownKeys } from '../keys/keyTrust';
import { withStationAnchor } from '../custody/stationAnchor';
import { verifyPackage } from '../package/verifyPackage';
import type { ExportDesk } from '../seal/exportDesk';
import { SourceGate } from '../import/sourcePolicy';
import type { CallContext } from '../engineApi';
import { actorOf, type Handlers, type Services } from './services';

type ExportMethods = 'package.verify' | 'cases.export' | 'cases.exportCancel';

/**
 * Exporting a sealed version and verifying a package, for any signed-in account. Verifying reads
 * only; the station's own key and the imported ones are known to it.
 */
export function exportHandlers(s: Services, desk: ExportDesk): Pick<Handlers, ExportMethods> {
  return {
    'cases.export': (input, call) => desk.export({ ...input, via: call.via }, actorOf(call).name),
    'cases.exportCancel': (input) => {
      desk.cancel(input.jobId);
      return { ok: true };
    },
    'package.verify': async (input, call) => {
      if (!input.path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(input.path)) {
        throw new AppError('input.invalid', { field: 'path', problem: 'must be absolute' });
      }
      await checkVerifyPath(s, input.path, call.via);
      const report = await verifyPackage(input.path, {
        known: engineKnownKeys(s.db, s.stationKey.fingerprint),
        ...(input.expectFingerprint ? { expectFingerprint: input.expectFingerprint } : {}),
      });
      return withStationAnchor(report, s.db, s.stationId);
    },
  };
}

/**
 * Verifying lists every file under the path it is given (each one not in the manifest is named
 * in the report), so from a UI host, driven by whoever signs in rather than the OS user, it may
 * read only where an import may (`sourcePolicy.ts`: removable volumes, the OS user's home, folders
 * an admin allowed), and never the station's data folder nor a folder holding it. The CLI and the
 * engine's own callers run as the OS user, who can read those files anyway.
 */
async function checkVerifyPath(s: Services, path: string, via: CallContext['via']): Promise<void> {
  if (via === 'cli' || via === 'test') return;
  const gate = new SourceGate({
    via,
    dataDir: s.layout.root,
    roots: [...s.settings().importRoots, ...s.hostImportRoots],
  });
  const real = await realpath(path).catch(() => resolve(path));
  if ((await gate.refusalOf(real, resolve(path))) !== null || (await gate.containsStation(real)))
    throw new AppError('verify.pathNotAllowed', { path });
}
