/**
 * Messages between the engine and its process launcher (`processLauncher.ts`), over the launcher's
 * IPC channel (advanced serialization, so output travels as bytes).
 */
export type LauncherRequest =
  /** `ownGroup`: start the tool as the leader of a process group of its own (see `runProcess`). */
  | { op: 'spawn'; id: number; file: string; argv: string[]; env: Record<string, string>; ownGroup: boolean }
  /** SIGKILL the tool (its group, when it leads one); once it is dead, stop waiting for its output. */
  | { op: 'stop'; id: number };

export type LauncherReply =
  | { id: number; type: 'stdout' | 'stderr'; data: Uint8Array }
  /** The child could not be started (ENOENT, EACCES…); a `close` follows. */
  | { id: number; type: 'error'; message: string; code: string | null }
  /** The child has exited and both its pipes are read to the end. */
  | { id: number; type: 'close'; code: number | null; signal: NodeJS.Signals | null };
