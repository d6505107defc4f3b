import { z } from 'zod';
import { seedLibrary } from './seedLibrary';

/**
 * `tsx test/support/seedLibraryMain.ts <dataDir> '<options as JSON>'` seeds a station and prints
 * the SeededLibrary as one JSON line. Playwright's loader cannot import the engine (it needs an
 * import attribute for package.json that tsx and Vite do without), so e2e seeds in this child.
 */

const Options = z
  .object({
    count: z.number().int().positive(),
    admin: z.object({ name: z.string(), password: z.string(), displayName: z.string().optional() }).strict().optional(),
    thumbnails: z.boolean().optional(),
    batch: z.number().int().positive().optional(),
  })
  .strict();

async function main(argv: string[]): Promise<void> {
  const [dataDir, json] = argv;
  if (!dataDir || !json) {
    process.stderr.write("usage: seedLibraryMain.ts <dataDir> '<options as JSON>'\n");
    process.exitCode = 2;
    return;
  }
  const seeded = await seedLibrary(dataDir, Options.parse(JSON.parse(json)));
  process.stdout.write(`${JSON.stringify(seeded)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
