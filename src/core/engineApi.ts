import type { EventName, EventPayload, MediaVariant, MethodName, MethodOutput } from '../shared/contract';
import type { Account } from '../shared/schemas';
import type { ChainSigner } from './custody/checkpoints';
import type { SyncTuning } from './sync/syncWorker';

/** Who is calling, as the host knows it. The host has already checked its own transport (token, sender). */
export interface CallContext {
  /** The session id returned by sign-in, or null before sign-in. */
  sessionId: string | null;
  /** Which host relayed the call: recorded in the custody log as where the action came from. */
  via: 'ipc' | 'http' | 'cli' | 'test';
  /**
   * Who is asking, as the host knows it (the web host: the remote address; the desktop app: its
   * window; the CLI: `cli`). Failed sign-ins are throttled per client; default: `via`.
   */
  client?: string;
}

export interface MediaFile {
  /** Absolute path the host may stream from; it never reaches the renderer. */
  path: string;
  mimeType: string;
  size: number;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The engine as every host sees it. `call` validates the raw input against the contract, checks
 * the session and role, runs the method, and throws `AppError` for expected failures.
 */
export interface Engine {
  readonly dataDir: string;
  call<M extends MethodName>(method: M, rawInput: unknown, ctx: CallContext): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Resolves an item's media for streaming, after checking the session; throws `media.notFound`. */
  openMedia(itemId: string, variant: MediaVariant, ctx: CallContext, part?: number): Promise<MediaFile>;
  /**
   * The account of a signed-in, unlocked session, or null; does not count as activity. Hosts use
   * it to push events only to clients that may see them.
   */
  activeAccount(sessionId: string | null): Account | null;
  /** Stops background jobs and child processes, closes the database. */
  close(): Promise<void>;
}

/**
 * Encrypts the station's private key with the host's keychain (Electron `safeStorage`: DPAPI on
 * Windows, the Keychain on macOS, libsecret/kwallet on Linux). Supplied by the desktop app only,
 * across the utility-process boundary (`keys/keyProtectorChannel.ts`); asynchronous for that reason.
 */
export interface KeyProtector {
  /** False when the OS offers no encryption (e.g. Linux without a keyring): the engine falls back. */
  isAvailable(): Promise<boolean>;
  encrypt(plain: Buffer): Promise<Buffer>;
  /** Refuses with `key.unavailable` (no OS encryption now) or `key.protectorFailed`. */
  decrypt(encrypted: Buffer): Promise<Buffer>;
}

export interface EngineOptions {
  dataDir: string;
  log?: Logger;
  /** Injected for tests; defaults to the system clock. */
  now?: () => Date;
  /** Run derived-media jobs in the background (thumbnails, filmstrips, proxies). Default true. */
  runJobs?: boolean;
  /**
   * Start the court report's worker at once and keep it, its font code warmed, so a seal does not
   * wait for it (the engine process, which lives as long as the app). Default false: the first
   * seal starts it (the CLI, tests).
   */
  warmReport?: boolean;
  /**
   * Start the import's copy and read-back workers when the engine opens, so the first import does
   * not wait for them. Default true (the app, the web host, tests); a CLI command sets false: it
   * imports at once or not at all, and a command that only reads should not start two threads.
   */
  warmImport?: boolean;
  ffmpegPath?: string;
  ffprobePath?: string;
  /** Folder of the ffmpeg/ffprobe shipped with a packaged app; tried after the explicit paths. */
  mediaBundledDir?: string;
  /** A `better_sqlite3.node` built for this runtime (Electron's ABI); default: the package's own. */
  sqliteNativeBinding?: string;
  /**
   * The app's `resources/` folder (the default violation catalogue is `taxonomy/default.json` in
   * it). Default: the checkout's, found from the engine's own location; a packaged app passes the
   * folder its packager copied them to.
   */
  resourcesDir?: string;
  /** Protects the station's private key with the host's keychain (the desktop app). */
  keyProtector?: KeyProtector;
  /**
   * Passphrase for the station key where no keychain protects it; default: the
   * `STATION_KEY_PASSPHRASE` environment variable. Needed at creation to set it, then for every signature.
   */
  keyPassphrase?: string;
  /**
   * Folders the web host and the desktop app may import from and browse, besides removable
   * volumes, the OS user's home and the admin's `settings.importRoots`; set by whoever starts
   * the host (`serve --import-root DIR`), who is the OS user. The CLI is not limited to them.
   */
  importRoots?: string[];
  /**
   * The sync worker's timing (core/sync/syncWorker.ts). `background` defaults to `runJobs`: the
   * engine of the app or `serve` uploads on its own; a command's engine only when asked.
   */
  sync?: SyncTuning;
  /** Signs custody checkpoints instead of the station key: for tests only. */
  chainSigner?: ChainSigner;
  /** Seams for tests that prove failure handling with real files; never set by a host. */
  testHooks?: {
    /**
     * Runs after each slice of an import's copy (bytes [start, end) of the temporary file at
     * `copyPath`) is flushed to the disk and before it is read back; `last` once the copy is whole.
     */
    beforeVerify?: (copyPath: string, slice: { start: number; end: number; last: boolean }) => Promise<void>;
    /** Runs after an import's scan, before any source is opened: to swap a file for a FIFO or a link. */
    afterScan?: (files: readonly { path: string }[]) => Promise<void>;
  };
}
