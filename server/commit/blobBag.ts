import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { TooLargeError, type BagFile, type BagSource, type SourceIssue } from '../../src/core/package/bagSource';
import type { CommitFile } from '../../src/shared/syncProtocol';

/**
 * A committed package seen as a bag: each path the commit lists is the blob of its hash, so the
 * station's own verifier (`verifyBagSource`) reads the package from the blob store with no copy
 * made. Sizes are the blobs' own, not what the commit says (the commit check compares the two).
 */
export function openBlobBag(
  name: string,
  files: readonly CommitFile[],
  blob: { pathOf(sha256: string): string; sizeOf(sha256: string): number },
): BagSource {
  const listed = new Map<string, BagFile>();
  const hashes = new Map<string, string>();
  const issues: SourceIssue[] = [];
  for (const f of files) {
    if (listed.has(f.path)) {
      issues.push({ path: f.path, detail: 'the commit lists this path twice' });
      continue;
    }
    listed.set(f.path, { path: f.path, size: blob.sizeOf(f.sha256) });
    hashes.set(f.path, f.sha256);
  }
  const blobPath = (path: string): string => {
    const sha256 = hashes.get(path);
    if (!sha256) throw new Error(`${path}: not in the commit`);
    return blob.pathOf(sha256);
  };
  const openBlob = (path: string) => open(blobPath(path), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  return {
    kind: 'blobs',
    name,
    files: listed,
    issues,
    async read(path, maxBytes) {
      const handle = await openBlob(path);
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) throw new TooLargeError(`${path} is ${size} bytes, more than ${maxBytes} can be checked`);
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
    rangeOf(path) {
      const f = listed.get(path);
      return f ? { path: blobPath(path), start: 0, length: f.size, expect: { size: f.size } } : null;
    },
    async hashStream(path, onBytes) {
      const handle = await openBlob(path);
      const hash = createHash('sha256');
      try {
        for await (const chunk of handle.createReadStream() as AsyncIterable<Buffer>) {
          hash.update(chunk);
          onBytes(chunk.length);
        }
      } finally {
        await handle.close().catch(() => undefined);
      }
      return hash.digest('hex');
    },
    close: () => Promise.resolve(),
  };
}

/** The hash each path's blob was checked against when it was stored: the verifier need not read them again. */
export function storedHashes(files: readonly CommitFile[]): Map<string, string> {
  return new Map(files.map((f) => [f.path, f.sha256]));
}
