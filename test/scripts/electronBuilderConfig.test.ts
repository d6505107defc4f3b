import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The packaged app's Electron fuses, read back from the packaging config. Building installers
 * downloads Electron for each platform, so it is not run here (README: "Packaging"); what the
 * packager will flip is checked instead. electron-builder applies `electronFuses` with
 * @electron/fuses after packing and before signing, so the signature covers the flipped bits.
 */

const ROOT = join(import.meta.dirname, '..', '..');

interface BuilderConfig {
  files: string[];
  asar: boolean;
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
}

async function readConfig(): Promise<BuilderConfig> {
  return JSON.parse(await readFile(join(ROOT, 'electron-builder.json'), 'utf8')) as BuilderConfig;
}

describe('electron-builder.json', () => {
  it('sets every fuse: no Node mode, no NODE_OPTIONS, no inspector; cookies encrypted, the ASAR checked and the only app source', async () => {
    const { electronFuses } = await readConfig();
    expect(electronFuses).toMatchObject({
      // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node that runs any script.
      runAsNode: false,
      // NODE_OPTIONS=--require … would load code into the app before it starts.
      enableNodeOptionsEnvironmentVariable: false,
      // --inspect would open a debugger into the process that holds the evidence database.
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    for (const [fuse, value] of Object.entries(electronFuses)) expect([fuse, typeof value]).toEqual([fuse, 'boolean']);
  });

  it('packs the app into an ASAR without source maps, and ships what the engine looks for beside it', async () => {
    const config = await readConfig();
    expect(config.asar).toBe(true);
    expect(config.files).toContain('!**/*.map');
    // src/main/engineOptions.ts: ffmpeg/ffprobe in <resources>/bin, the catalogue in <resources>/resources.
    const targets = config.extraResources.map((r) => r.to);
    expect(targets).toEqual(expect.arrayContaining(['bin', 'resources/taxonomy']));
    const engineOptions = await readFile(join(ROOT, 'src', 'main', 'engineOptions.ts'), 'utf8');
    expect(engineOptions).toContain("path.join(runtime.resourcesPath, 'bin')");
    expect(engineOptions).toContain("path.join(runtime.resourcesPath, 'resources')");
  });

  it('ships the matched pair scripts/buildMediaTools.sh builds as <resources>/bin, never the npm fallback pair', async () => {
    const config = await readConfig();
    const bin = config.extraResources.filter((r) => r.to === 'bin');
    // The bundled folder is the pair the station prefers; the npm packages' 2018 ffmpeg beside a
    // 2023 ffprobe would be a mismatched pair there (binaries.ts passes such a folder over).
    expect(bin.map((r) => r.from)).toEqual(['vendor/media-tools/${platform}-${arch}']);
    const script = await readFile(join(ROOT, 'scripts', 'buildMediaTools.sh'), 'utf8');
    expect(script).toContain('out="$root/vendor/media-tools/linux-$arch"');
  });
});
