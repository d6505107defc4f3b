import { AppError } from '../shared/errors';
import { ERROR_MESSAGES } from '../shared/i18n/messages';
import { escapeForTerminal } from './escapeForTerminal';

/**
 * Fills the message's `{name}` placeholders from the error's parameters, each escaped for the
 * terminal (a parameter may be a path or a name someone chose). One without a value stays visible.
 */
function fillMessage(template: string, params: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
    if (value === undefined || value === null || typeof value === 'object') return whole;
    return escapeForTerminal(String(value));
  });
}

/** The English message of an expected error, then its code and parameters for scripts and reports. */
export function describeError(error: unknown): string {
  if (error instanceof AppError) {
    // JSON escapes C0 controls but not C1 (a terminal's CSI) nor bidi overrides; backslashes are
    // JSON's own here and stay as they are.
    const params = Object.keys(error.params).length
      ? ` ${escapeForTerminal(JSON.stringify(error.params), { escapeBackslash: false })}`
      : '';
    return `${fillMessage(ERROR_MESSAGES.en[error.code], error.params)} (${error.code}${params})`;
  }
  return escapeForTerminal(error instanceof Error ? error.message : String(error));
}
