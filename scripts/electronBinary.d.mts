export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

/** Locates Electron's executable without triggering its download; see electronBinary.mjs. */
export function findElectronBinary(env?: Record<string, string | undefined>): ElectronBinary;
