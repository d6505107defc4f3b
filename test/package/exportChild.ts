import { exportBag } from '../../src/core/package/exportBag';

/**
 * Runs one export in its own process so a test can SIGKILL it mid-copy:
 * `node --import tsx test/package/exportChild.ts BAG DEST FINGERPRINT zip|folder [STATION-ID]`.
 * With a station id, the export leaves its owner marker as the engine's exports do.
 * Prints `copy <bytes>` on stderr for every progress event of the copy phase.
 */
const [bagDir, destDir, expectFingerprint, mode, stationId] = process.argv.slice(2);
const result = await exportBag({
  bagDir: bagDir!,
  destDir: destDir!,
  zip: mode === 'zip',
  expectFingerprint: expectFingerprint!,
  ...(stationId ? { owner: { stationId } } : {}),
  onProgress: (p) => {
    if (p.phase === 'copy' && p.bytesDone > 0) process.stderr.write(`copy ${p.bytesDone}\n`);
  },
});
process.stdout.write(`${JSON.stringify(result)}\n`);
