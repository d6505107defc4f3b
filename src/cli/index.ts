#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { AppError } from '../shared/errors';
import { describeError, type GlobalOptions } from './context';
import { runCheck } from './commands/check';
import { runClip } from './commands/clip';
import { runStill } from './commands/still';
import { runImport } from './commands/import';
import { runInit } from './commands/init';
import { runLog } from './commands/log';
import { runServe } from './commands/serve';
import { runUser } from './commands/user';
import { runCase } from './commands/case';
import { runSeal } from './commands/seal';
import { runReview } from './commands/review';
import { runExport } from './commands/export';
import { runKey } from './commands/key';
import { runTag } from './commands/tag';
import { joinDashValues, runTimeCorrect } from './commands/timeCorrect';
import { runTaxonomy } from './commands/taxonomy';
import { runVerify } from './commands/verify';
import { runSync } from './commands/sync';
import { runEnrol } from './commands/enrol';
import { USAGE, UsageError } from './usage';

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
      return runInit(global, { admin: values.admin });
    case 'user':
      return runUser(global, { sub: rest[0], name: rest[1], role: values.role, officer: values.officer });
    case 'import':
      return runImport(global, { paths: rest, wait: values.wait, includeNonMedia: values['include-non-media'] });
    case 'serve':
      return runServe(global, { port: values.port, importRoots: values['import-root'] ?? [] });
    case 'log':
      return runLog(global, { sub: rest[0], item: values.item, id: rest[1] });
    case 'check':
      return runCheck(global, {
        rehash: values.rehash,
        repairModes: values['repair-modes'],
        resolveQuarantine: values['resolve-quarantine'],
        adopt: values.adopt,
        keep: values.keep,
        releaseTo: values['release-to'],
        note: values.note,
      });
    case 'clip':
      return runClip(global, { item: rest[0], from: values.from, to: values.to, mode: values.mode });
    case 'still':
      return runStill(global, { item: rest[0], at: values.at });
    case 'taxonomy':
      return runTaxonomy(global, { sub: rest[0] });
    case 'tag':
      return runTag(global, { item: rest[0], type: values.type, from: values.from, to: values.to, note: values.note });
    case 'time-correct':
      return runTimeCorrect(global, {
        items: rest,
        importId: values.import,
        device: values.device,
        offset: values.offset,
        zone: values.zone,
        reason: values.reason,
      });
    case 'case':
      return runCase(global, {
        sub: rest[0],
        refs: rest.slice(1),
        title: values.title,
        place: values.place,
        reason: values.reason,
        version: values.version,
      });
    case 'seal':
      return runSeal(global, { refs: rest });
    case 'approve':
    case 'reject':
      return runReview(global, command === 'approve' ? 'approve' : 'reject', {
        refs: rest,
        version: values.version,
        reason: values.reason,
      });
    case 'export':
      return runExport(global, { refs: rest, version: values.version, to: values.to, zip: values.zip });
    case 'key':
      return runKey(global, { sub: rest[0], refs: rest.slice(1), label: values.label });
    case 'verify':
      if (rest.length > 1) throw new UsageError('verify takes one package');
      return runVerify({
        path: rest[0],
        json: values.json,
        data: values.data,
        expectFingerprint: values['expect-fingerprint'],
      });
    case 'sync':
      return runSync(global, { refs: rest, once: values.once });
    case 'enrol':
      return runEnrol(global, { refs: rest });
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: ${describeError(error)}\n`);
    process.exitCode = error instanceof AppError && error.code === 'input.invalid' ? 2 : 1;
  },
);
