import { safeStorage } from 'electron';
import type { StringEncryption } from './keyProtectorHost';

/**
 * The desktop app's OS encryption for the station key: Electron `safeStorage` (DPAPI on Windows,
 * the Keychain on macOS, libsecret or kwallet on Linux), handed to the engine process through
 * `serveKeyProtector`. Where the OS offers no encryption (Linux with no keyring, where safeStorage
 * would fall back to a fixed key), it is not available and the engine uses the passphrase or the
 * file mode instead.
 */
export const safeStorageEncryption: StringEncryption = {
  isAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  encryptString: (plain) => safeStorage.encryptString(plain),
  decryptString: (encrypted) => safeStorage.decryptString(encrypted),
};
