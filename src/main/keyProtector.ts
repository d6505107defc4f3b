import { safeStorage } from 'electron';
import type { KeyProtector } from '../core/engineApi';

/**
 * The station key's protection in the desktop app: Electron `safeStorage` (DPAPI on Windows, the
 * Keychain on macOS, libsecret or kwallet on Linux). The key's DER travels as base64 because
 * safeStorage encrypts strings. Where the OS offers no encryption (Linux with no keyring, where
 * safeStorage would fall back to a fixed key), `isAvailable` is false and the engine uses the
 * passphrase or the file mode instead.
 */
export const safeStorageKeyProtector: KeyProtector = {
  isAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
  decrypt: (encrypted) => Buffer.from(safeStorage.decryptString(encrypted), 'base64'),
};
