import type { WritableDB } from '../database';
import { m0010Initial } from './m0010_initial';

export interface Migration {
  version: number;
  update(db: WritableDB): void;
}

/** Ordered; versions rise in steps of 10 so a fix can slot in between. */
export const MIGRATIONS: readonly Migration[] = [{ version: 10, update: m0010Initial }];
