#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors';
import type { GlobalOptions } from './context';
import { joinDashValues } from './dashValues';
import { USAGE, UsageError } from './usage';

/**
 * Each command's module is imported when that command runs, not before: `--help` and a command
 * that only reads load no more than they use (the engine, pdfkit, the sync client, PGlite are
 * each loaded by the commands that need them).
 */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinDashValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string' },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
        admin: { type: 'string' },
        role: { type: 'string' },
        officer: { type: 'string' },
        wait: { type: 'boolean', default: false },
        'include-non-media': { type: 'boolean', default: false },
        port: { type: 'string' },
        'import-root': { type: 'string', multiple: true },
        item: { type: 'string' },
        rehash: { type: 'boolean', default: false },
        'repair-modes': { type: 'boolean', default: false },
        'resolve-quarantine': { type: 'string' },
        adopt: { type: 'boolean', default: false },
        keep: { type: 'boolean', default: false },
        'release-to': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        mode: { type: 'string' },
        at: { type: 'string' },
        type: { type: 'string' },
        note: { type: 'string' },
        title: { type: 'string' },
        place: { type: 'string' },
        'expect-fingerprint': { type: 'string' },
        reason: { type: 'string' },
        version: { type: 'string' },
        zip: { type: 'boolean', default: false },
        label: { type: 'string' },
        once: { type: 'boolean', default: false },
        import: { type: 'string' },
        device: { type: 'string' },
        offset: { type: 'string' },
        zone: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const global: GlobalOptions = { data: values.data, user: values.user, json: values.json };
  switch (command) {
    case 'init':
      return (await import('./commands/init')).runInit(global, { admin: values.admin });
    case 'user':
      return (await import('./commands/user')).runUser(global, {
        sub: rest[0],
        name: rest[1],
        role: values.role,
        officer: values.officer,
      });
    case 'import':
      return (await import('./commands/import')).runImport(global, {
        paths: rest,
        wait: values.wait,
        includeNonMedia: values['include-non-media'],
      });
    case 'serve':
      return (await import('./commands/serve')).runServe(global, {
        port: values.port,
        importRoots: values['import-root'] ?? [],
      });
    case 'log':
      return (await import('./commands/log')).runLog(global, { sub: rest[0], item: values.item, id: rest[1] });
    case 'check':
      return (await import('./commands/check')).runCheck(global, {
        rehash: values.rehash,
        repairModes: values['repair-modes'],
        resolveQuarantine: values['resolve-quarantine'],
        adopt: values.adopt,
        keep: values.keep,
        releaseTo: values['release-to'],
        note: values.note,
      });
    case 'clip':
      return (await import('./commands/clip')).runClip(global, {
        item: rest[0],
        from: values.from,
        to: values.to,
        mode: values.mode,
      });
    case 'still':
      return (await import('./commands/still')).runStill(global, { item: rest[0], at: values.at });
    case 'taxonomy':
      return (await import('./commands/taxonomy')).runTaxonomy(global, { sub: rest[0] });
    case 'tag':
      return (await import('./commands/tag')).runTag(global, {
        item: rest[0],
        type: values.type,
        from: values.from,
        to: values.to,
        note: values.note,
      });
    case 'time-correct':
      return (await import('./commands/timeCorrect')).runTimeCorrect(global, {
        items: rest,
        importId: values.import,
        device: values.device,
        offset: values.offset,
        zone: values.zone,
        reason: values.reason,
      });
    case 'case':
      return (await import('./commands/case')).runCase(global, {
        sub: rest[0],
        refs: rest.slice(1),
        title: values.title,
        place: values.place,
        reason: values.reason,
        version: values.version,
      });
    case 'seal':
      return (await import('./commands/seal')).runSeal(global, { refs: rest });
    case 'approve':
    case 'reject':
      return (await import('./commands/review')).runReview(global, command === 'approve' ? 'approve' : 'reject', {
        refs: rest,
        version: values.version,
        reason: values.reason,
      });
    case 'export':
      return (await import('./commands/export')).runExport(global, {
        refs: rest,
        version: values.version,
        to: values.to,
        zip: values.zip,
      });
    case 'key':
      return (await import('./commands/key')).runKey(global, {
        sub: rest[0],
        refs: rest.slice(1),
        label: values.label,
      });
    case 'verify':
      if (rest.length > 1) throw new UsageError('verify takes one package');
      return (await import('./commands/verify')).runVerify({
        path: rest[0],
        json: values.json,
        data: values.data,
        expectFingerprint: values['expect-fingerprint'],
      });
    case 'sync':
      return (await import('./commands/sync')).runSync(global, { refs: rest, once: values.once });
    case 'enrol':
      return (await import('./commands/enrol')).runEnrol(global, { refs: rest });
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    // The message catalogue (every error in two languages) is loaded only when one is shown.
    const { describeError } = await import('./describeError');
    process.stderr.write(`error: ${describeError(error)}\n`);
    process.exitCode = error instanceof AppError && error.code === 'input.invalid' ? 2 : 1;
  },
);
