import type { MessageKey, Messages } from './en';

export type MessageParams = Record<string, string | number>;

/**
 * Fills `{name}` placeholders from params. A placeholder without a value is left visible on purpose:
 * a missing parameter is a bug that should be seen, not a silently shortened sentence.
 */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function translate(messages: Messages, key: MessageKey, params?: MessageParams): string {
  return interpolate(messages[key], params);
}
