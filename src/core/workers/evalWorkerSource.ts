/**
 * The source text of a worker thread that starts from a string (`new Worker(code, { eval: true })`)
 * instead of a module file, built from a self-contained function. Such a worker runs as a
 * CommonJS script with Node's own `require`, but the function's body is whatever the compiler
 * made of it, and compilers call helpers of their own module there: `__name` (esbuild's keepNames,
 * as tsx runs the sources) and `__require` (esbuild's stand-in for `require` in an ES module
 * bundle, as in the built CLI, engine and server). The worker gets both, defined here once.
 */
export function evalWorkerSource(main: () => void): string {
  return `var __name = (fn) => fn;\nvar __require = require;\n(${main.toString()})();\n`;
}

/** The helpers `evalWorkerSource` defines, for the test that checks a built source needs no other. */
export const EVAL_WORKER_HELPERS = ['__name', '__require'] as const;
