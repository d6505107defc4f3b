import type { Logger } from '../core/engineApi';

/** Logs go to stderr as JSON lines, so that stdout carries only the command's output. */
export const stderrLogger: Logger = {
  info: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'info', message, ...fields })}\n`),
  warn: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...fields })}\n`),
  error: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

/**
 * A one-off command's terminal shows warnings and errors only: its own lines say what happened,
 * and the engine's routine notes (socket opened, engine stopping) would bury them. The station's
 * log file (logs/) keeps every line; `STATION_VERBOSE=1` shows them here too.
 */
export const commandLogger: Logger =
  process.env.STATION_VERBOSE === '1' ? stderrLogger : { ...stderrLogger, info: () => undefined };
