// Runs a TypeScript worker entry when the engine itself runs from source (tsx, Vitest): worker
// threads do not inherit the parent's TypeScript loader, so the entry registers it first.
// Bundled builds load the compiled entry directly and never use this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
