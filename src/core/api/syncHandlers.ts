import { AppError } from '../../shared/errors';
import type { SyncSettings } from '../../shared/syncSchemas';
import { inTransaction } from '../db/database';
import { enrolStation } from '../sync/enrol';
import { readSyncSettings, writeSyncSettings } from '../sync/enrolmentRepo';
import { readEnrolmentOnRecord } from '../sync/enrolmentOnRecord';
import type { SyncWorker } from '../sync/syncWorker';
import { actorOf, type Handlers, type Services } from './services';

type SyncMethods = 'sync.enrol' | 'sync.status' | 'sync.now' | 'sync.settings';

/** Enrolment, status, "sync now" and settings: the contract's side of the sync worker (core/sync). */
export function syncHandlers(s: Services, worker: SyncWorker): Pick<Handlers, SyncMethods> {
  return {
    'sync.enrol': async (input, call) => {
      const enrolment = await enrolStation(s, input, actorOf(call).name);
      s.emit('sync.changed', { caseId: null });
      worker.nudge();
      return enrolment;
    },
    'sync.status': () => worker.status(),
    'sync.now': async (input) => {
      // A stored enrolment its custody entry does not back is refused here, said to the person.
      if (!readEnrolmentOnRecord(s.db)) throw new AppError('sync.notEnrolled');
      const pass = worker.syncNow();
      if (input.wait) await pass;
      return worker.summary();
    },
    'sync.settings': (input, call) => {
      const before = readSyncSettings(s.db);
      if (Object.keys(input).length === 0) return before;
      const actor = actorOf(call);
      if (actor.role !== 'admin') throw new AppError('auth.forbidden', { method: 'sync.settings' });
      const after: SyncSettings = {
        bandwidthBytesPerSec:
          input.bandwidthBytesPerSec === undefined ? before.bandwidthBytesPerSec : input.bandwidthBytesPerSec,
        window: input.window === undefined ? before.window : input.window,
      };
      inTransaction(s.db, () => {
        s.record({
          actor: actor.name,
          action: 'sync.settings',
          subject: null,
          sha256: null,
          details: { before, after },
        });
        writeSyncSettings(s.db, after);
      });
      s.emit('sync.changed', { caseId: null });
      // A window that opened, or a limit lifted, may let waiting versions go now.
      void worker.syncNow();
      return after;
    },
  };
}
