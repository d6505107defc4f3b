import { countAccounts } from '../accounts/accountsRepo';
import { inTransaction } from '../db/database';
import { validateFileNamePatterns } from '../media/probe/fileNamePatterns';
import { validateCaseNumberFormat } from '../cases/caseNumber';
import { AppError } from '../../shared/errors';
import { validateImportRoots } from '../import/sourcePolicy';
import { actorOf, type Handlers, type Services } from './services';

type StationHandlers = Pick<Handlers, 'station.status' | 'settings.get' | 'settings.update'>;

export function stationHandlers(s: Services): StationHandlers {
  return {
    'station.status': () => ({
      setupRequired: countAccounts(s.db) === 0,
      stationName: s.settings().stationName,
      stationId: s.stationId,
      version: s.version,
      locale: s.settings().locale,
      mediaTools: {
        warning: s.mediaTools.warning,
        ffmpegVersion: s.mediaTools.ffmpeg.version,
        ffprobeVersion: s.mediaTools.ffprobe.version,
      },
    }),
    'settings.get': () => s.settings(),
    'settings.update': async (input, call) => {
      if (input.fileNamePatterns) {
        const problems = validateFileNamePatterns(input.fileNamePatterns);
        if (problems.length) {
          throw new AppError('input.invalid', { field: 'fileNamePatterns', problem: JSON.stringify(problems) });
        }
      }
      if (input.caseNumberFormat) validateCaseNumberFormat(input.caseNumberFormat);
      if (input.importRoots) input.importRoots = await validateImportRoots(input.importRoots, s.layout.root);
      const next = { ...s.settings(), ...input };
      inTransaction(s.db, () => {
        s.saveSettings(next);
        s.record({
          actor: actorOf(call).name,
          action: 'settings.update',
          subject: null,
          sha256: null,
          details: { changed: Object.keys(input) },
        });
      });
      return next;
    },
  };
}
