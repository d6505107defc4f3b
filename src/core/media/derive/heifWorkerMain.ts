// Type-only imports: erased at compile time, so the function below still refers to nothing outside itself.
import type * as Fs from 'node:fs';
import type * as WorkerThreads from 'node:worker_threads';
import type { HeifWorkerData, HeifWorkerReply } from './heifProtocol';
import { evalWorkerSource } from '../../workers/evalWorkerSource';

/**
 * The HEIF decoding worker's whole program, started from its own source text (as the read-back
 * and range-hashing workers are: no TypeScript loader to start), so it may use only `require` of
 * Node's modules, libheif-js by the absolute path it is given, and what it defines inside itself.
 *
 * One worker per file: it reads the file, finds the primary image (for an iPhone photo the grid
 * that puts the 512×512 tiles together, so its size is the photo's), and either answers with that
 * size or decodes it to raw RGBA in `rawOut`. Refuses, before decoding, an image above
 * `maxPixels`, since its RGBA alone would take 4 bytes a pixel of this process's memory.
 */
export function heifWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads;
  const fs = require('node:fs') as typeof Fs;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const data = workerData as HeifWorkerData;

  interface LibheifImage {
    get_width(): number;
    get_height(): number;
    is_primary(): boolean;
    free(): void;
    display(
      target: { data: Uint8ClampedArray; width: number; height: number },
      done: (result: { data: Uint8ClampedArray } | null) => void,
    ): void;
  }
  interface Libheif {
    ready: Promise<void>;
    heif_get_version(): string;
    heif_context_free(context: unknown): void;
    HeifDecoder: new () => { decoder: unknown; decode(bytes: Uint8Array): LibheifImage[] };
  }

  const reply = (message: HeifWorkerReply) => parentPort?.postMessage(message);

  async function run(): Promise<void> {
    const size = fs.statSync(data.file).size;
    if (size > data.maxFileBytes) {
      reply({ ok: false, reason: 'fileTooLarge', detail: String(size) });
      return;
    }
    // libheif needs the whole file in memory; the size check above bounds it.
    const bytes = fs.readFileSync(data.file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const libheif = require(data.libheifPath) as Libheif;
    await libheif.ready;
    const version = libheif.heif_get_version();
    const decoder = new libheif.HeifDecoder();
    const images = decoder.decode(bytes);
    try {
      const primary = images.find((image) => image.is_primary()) ?? images[0];
      if (!primary) {
        reply({ ok: false, reason: 'noImage', detail: 'libheif found no image in the file', libheifVersion: version });
        return;
      }
      const width = primary.get_width();
      const height = primary.get_height();
      if (data.mode === 'size') {
        reply({ ok: true, width, height, libheifVersion: version });
        return;
      }
      if (width * height > data.maxPixels) {
        reply({ ok: false, reason: 'tooLarge', detail: `${width}x${height}`, width, height, libheifVersion: version });
        return;
      }
      const target = { data: new Uint8ClampedArray(width * height * 4), width, height };
      const decoded = await new Promise<{ data: Uint8ClampedArray } | null>((resolve) =>
        primary.display(target, resolve),
      );
      if (!decoded) {
        reply({
          ok: false,
          reason: 'decodeFailed',
          detail: 'libheif could not decode the image',
          libheifVersion: version,
        });
        return;
      }
      fs.writeFileSync(data.rawOut ?? '', decoded.data);
      reply({ ok: true, width, height, libheifVersion: version });
    } finally {
      for (const image of images) image.free();
      if (decoder.decoder) libheif.heif_context_free(decoder.decoder);
    }
  }

  run().catch((error: unknown) => {
    reply({ ok: false, reason: 'decodeFailed', detail: error instanceof Error ? error.message : String(error) });
  });
}

/** The worker's source text (see `evalWorkerSource`). */
export function heifWorkerSource(): string {
  return evalWorkerSource(heifWorkerMain);
}
