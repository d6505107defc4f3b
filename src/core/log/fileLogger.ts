import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../engineApi';

export interface ClosableLogger extends Logger {
  close(): Promise<void>;
}

/**
 * Passes every line to the host's logger and also appends it, as JSON, to `logs/station.log` in
 * the data directory: what recovery removed or a refused sign-in must still be readable after the
 * terminal or window that showed it is gone.
 */
export function teeToLogFile(base: Logger, logDir: string, now: () => Date): ClosableLogger {
  const stream: WriteStream = createWriteStream(join(logDir, 'station.log'), { flags: 'a', mode: 0o600 });
  let failed = false;
  stream.on('error', (error) => {
    // A log that cannot be written must not stop the station; say so once on the host's log.
    if (!failed) base.error('cannot write the station log file', { error: String(error) });
    failed = true;
  });
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void => {
    base[level](message, fields);
    if (!failed) stream.write(`${JSON.stringify({ at: now().toISOString(), level, message, ...fields })}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    close: () => new Promise<void>((resolve) => stream.end(resolve)),
  };
}
