import type { EventName, EventPayload, MethodName, MethodOutput, ParsedInput } from '../../shared/contract';
import type { Account, Settings } from '../../shared/schemas';
import type { SessionRegistry } from '../accounts/sessions';
import type { PasswordGate } from '../accounts/passwordGate';
import type { ChainHeadWriter } from '../custody/headWriter';
import type { ChainSigner, Checkpointer } from '../custody/checkpoints';
import type { CheckReport } from '../../shared/custodySchemas';
import type { StationKey } from '../keys/stationKey';
import type { WritableDB } from '../db/database';
import type { CallContext, Logger } from '../engineApi';
import type { ImportManager } from '../import/importManager';
import type { DerivedRunner } from '../jobs/derivedRunner';
import type { StationLayout } from '../store/layout';
import type { MediaTools } from '../media/tools/binaries';
import type { CustodyInput } from '../custody/custodyLog';
import type { CustodyEntry } from '../../shared/schemas';

/** What handlers work with: built once per engine, handed to each group of handlers. */
export interface Services {
  db: WritableDB;
  layout: StationLayout;
  log: Logger;
  now: () => Date;
  version: string;
  stationId: string;
  /** The resolved ffmpeg/ffprobe pair, with its warning when it is not a current matched one. */
  mediaTools: MediaTools;
  sessions: SessionRegistry;
  /** Checks typed passwords, throttled per account and per client. */
  gate: PasswordGate;
  imports: ImportManager;
  /** Folders the host (not the settings) lets the UI hosts import from: `serve --import-root`. */
  hostImportRoots: readonly string[];
  derived: DerivedRunner;
  head: ChainHeadWriter;
  /** Signs the chain head; call `checkpoints.checkpoint('seal' | 'export' | 'sync')` where a copy leaves the station. */
  checkpoints: Checkpointer;
  /** The station key as a signer, or null when none is at hand. */
  chainSigner(): ChainSigner | null;
  /** Store, records, chain and modes agree (see checkStation); reads only. */
  checkStation(opts: { rehash: boolean; onProgress?: (done: number, total: number) => void }): Promise<CheckReport>;
  /** Signs seals and custody checkpoints; the private key unlocks on first use. */
  stationKey: StationKey;
  settings(): Settings;
  saveSettings(settings: Settings): void;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /**
   * Appends a custody entry inside the caller's transaction and schedules the head write; first
   * checks that the furthest head this engine knew is still in the chain (see ChainHeadWriter).
   */
  record(entry: Omit<CustodyInput, 'at' | 'station'>): CustodyEntry;
}

/** The caller as the engine resolved it: the signed-in account, or null for `auth: 'none'` methods. */
export interface HandlerCall {
  account: Account | null;
  sessionId: string | null;
  /** The host that relayed the call: what a source path may reach depends on it. */
  via: CallContext['via'];
  /** Who is asking, as the host knows it (see `CallContext.client`): the throttle counts per client. */
  client: string;
}

export type Handler<M extends MethodName> = (
  input: ParsedInput<M>,
  call: HandlerCall,
) => Promise<MethodOutput<M>> | MethodOutput<M>;

export type Handlers = { [M in MethodName]: Handler<M> };

/** The account of a method that requires a session; the dispatcher guarantees it is set. */
export function actorOf(call: HandlerCall): Account {
  if (!call.account) throw new Error('handler reached without an account');
  return call.account;
}
