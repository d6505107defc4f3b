import { z } from 'zod';

/**
 * Both hosts' CSP forbid eval. zod compiles object parsers with `new Function` unless told not to,
 * and decides when a schema is *built*: so this must run before the first `z.object()` of
 * src/shared is evaluated. `./index.ts` imports it first, and main.tsx imports `../api` before
 * the App; keep it that way. (Without it zod falls back by itself, but Chromium logs a CSP
 * violation on every start, which would hide real ones.)
 */
z.config({ jitless: true });
