// Runs a TypeScript worker entry when the engine itself runs from source (tsx, Vitest): worker
// threads do not inherit the parent's TypeScript loader, so the entry registers it first.
// Bundled builds load the compiled entry directly and never use this file.
//
// No top-level await: a worker terminated while an async module is still evaluating aborts the
// whole process on Node 20 (V8 "Check failed: (location_) != nullptr" in ExecuteAsyncModule),
// which a short CLI command that closes the engine right after opening it can hit. A failed
// import still surfaces as the worker's 'error' event, like an uncaught exception.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
import(workerData.__entry).catch((error) => {
  throw error;
});
