import { AppError } from '../../shared/errors';
import type { Handlers } from './services';

type SealMethods =
  'cases.seal' | 'cases.reopen' | 'cases.versions' | 'cases.export' | 'cases.exportCancel' | 'package.verify';

/**
 * INTEGRATION PLACEHOLDER (branch `base` only, never on main): the seal, export, verify and key
 * handlers are being built on their own branches and replace this file.
 */
export function sealHandlers(): Pick<Handlers, SealMethods> {
  const pending = (): never => {
    throw new AppError('internal');
  };
  return {
    'cases.seal': pending,
    'cases.reopen': pending,
    'cases.versions': pending,
    'cases.export': pending,
    'cases.exportCancel': pending,
    'package.verify': pending,
  };
}
