import type { Logger } from '../core/engineApi';

/**
 * The main process logger: one line per entry on stderr, fields as JSON, so that a failing
 * `npm start` or a Playwright run shows what happened in the order it happened.
 */
export function createConsoleLogger(scope: string): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${level} [${scope}] ${message}${suffix}\n`);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
