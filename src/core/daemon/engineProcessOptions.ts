import { z } from 'zod';

/**
 * What an engine process is started with: one JSON argument, validated, so that a host passes
 * exactly the engine options (never code or environment) to the process that owns the station.
 */
export const EngineProcessOptions = z
  .object({
    dataDir: z.string().min(1),
    runJobs: z.boolean().optional(),
    ffmpegPath: z.string().optional(),
    ffprobePath: z.string().optional(),
    mediaBundledDir: z.string().optional(),
    sqliteNativeBinding: z.string().optional(),
    resourcesDir: z.string().optional(),
    importRoots: z.array(z.string().min(1).max(4096)).max(100).optional(),
    /**
     * The parent holds the OS keychain (the desktop app's main process): the station key's
     * protection is asked of it over the parent port (`keys/keyProtectorChannel.ts`).
     */
    keyProtectorChannel: z.boolean().optional(),
  })
  .strict();
export type EngineProcessOptions = z.infer<typeof EngineProcessOptions>;

/** The engine process's first line on stdout (or its first message to an Electron parent). */
export const EngineReady = z.object({ ready: z.string() }).strict();
export const EngineFailed = z.object({
  failed: z.object({ code: z.string(), params: z.record(z.string(), z.unknown()) }),
});
