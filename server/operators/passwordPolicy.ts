/**
 * Why a new operator password is refused, or null when it is acceptable. The server faces a
 * network, so the bar is higher than the station's: 12 characters, not the name, not one
 * character repeated.
 */
export type WeakPasswordReason = 'empty' | 'short' | 'sameAsName' | 'oneCharacter';

export const MIN_OPERATOR_PASSWORD_LENGTH = 12;

export function weakPasswordReason(name: string, password: string): WeakPasswordReason | null {
  if (password.length === 0) return 'empty';
  if ([...password].length < MIN_OPERATOR_PASSWORD_LENGTH) return 'short';
  if (password.trim().toLowerCase() === name.trim().toLowerCase()) return 'sameAsName';
  if (new Set(password).size === 1) return 'oneCharacter';
  return null;
}
