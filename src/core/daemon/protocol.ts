import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from '../../shared/errors';
import { MediaVariant } from '../../shared/contract';
import { Account, ImportRecord, ChainVerdict, Role } from '../../shared/schemas';
import { OwnerRecord } from '../station/engineLock';
import { QuarantineDecision } from '../store/quarantineResolution';
import type { CheckReport } from '../check/checkStation';

/**
 * The engine's socket protocol: newline-delimited JSON frames between the engine process and its
 * hosts (CLI, web host, Electron main). A request names a contract method (validated again by
 * `engine.call`) or one of the trusted-host methods below, each with its own input and output
 * schema. Replies carry the request's id; events and check progress are pushed as their own frames.
 */

/** A request is a method name, a small input and a context: a megabyte is far above any of them. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** Replies can be long (a library page, a check report of a large station) but are still bounded. */
export const MAX_REPLY_BYTES = 256 * 1024 * 1024;

export const WireCallContext = z
  .object({
    sessionId: z.string().min(1).max(256).nullable(),
    via: z.enum(['ipc', 'http', 'cli', 'test']),
    /** Who is asking, as the host knows it: failed sign-ins are throttled per client. */
    client: z.string().min(1).max(256).optional(),
  })
  .strict();

export const RequestFrame = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    method: z.string().min(1).max(100),
    input: z.unknown(),
    ctx: WireCallContext,
  })
  .strict();
export type RequestFrame = z.infer<typeof RequestFrame>;

const CheckReportWire = z
  .object({
    ok: z.boolean(),
    items: z.number().int().nonnegative(),
    storedFiles: z.number().int().nonnegative(),
    rehashed: z.number().int().nonnegative(),
    chain: ChainVerdict.loose(),
    problems: z.array(
      z
        .object({ kind: z.string(), sha256: z.string().nullable(), itemId: z.string().nullable(), detail: z.string() })
        .loose(),
    ),
  })
  .loose();

/**
 * What a trusted host (one that can open the socket, i.e. the station's OS user) may ask beyond
 * the contract. Each is typed and validated on both ends; none takes a path from the client.
 */
export const trustedMethods = {
  /** Who answers: the owner record and data directory, so a client can check it reached the right engine. */
  'engine.hello': { input: z.object({}).strict(), output: z.object({ owner: OwnerRecord, dataDir: z.string() }) },
  /** Start receiving every engine event on this connection. */
  'engine.subscribe': { input: z.object({}).strict(), output: z.object({}) },
  /** The file behind an item's media, for a host that streams it (Range requests); checks the session. */
  'engine.openMedia': {
    input: z
      .object({ itemId: z.string().min(1).max(100), variant: MediaVariant, part: z.number().int().min(0).optional() })
      .strict(),
    output: z.object({ path: z.string(), mimeType: z.string(), size: z.number().nonnegative() }),
  },
  /** The account of the context's session when signed in and unlocked; does not count as activity. */
  'engine.activeAccount': { input: z.object({}).strict(), output: z.object({ account: Account.nullable() }) },
  'engine.waitForImport': { input: z.object({ importId: z.string().min(1).max(100) }).strict(), output: ImportRecord },
  'engine.whenJobsIdle': { input: z.object({}).strict(), output: z.object({}) },
  'engine.accountNamesForSignIn': {
    input: z.object({}).strict(),
    output: z.object({ accounts: z.array(z.object({ name: z.string(), role: Role })) }),
  },
  /** An admin's decision on a quarantined file; the session must be an admin's. */
  'engine.resolveQuarantine': {
    input: z
      .object({
        id: z.number().int().positive(),
        decision: QuarantineDecision,
        note: z.string().trim().min(1).max(2000),
      })
      .strict(),
    output: z.object({
      resolved: z.boolean(),
      outcome: z.enum(['adopted', 'released', 'kept']).nullable(),
      releasedTo: z.string().nullable(),
    }),
  },
  /** Store, database and chain agree; progress comes as `progress` frames with the request's id. */
  'engine.check': {
    input: z.object({ rehash: z.boolean() }).strict(),
    output: CheckReportWire.transform((r) => r as CheckReport),
  },
} as const;

export type TrustedMethods = typeof trustedMethods;
export type TrustedMethod = keyof TrustedMethods;
export type TrustedInput<M extends TrustedMethod> = z.input<TrustedMethods[M]['input']>;
export type TrustedOutput<M extends TrustedMethod> = z.output<TrustedMethods[M]['output']>;

export function isTrustedMethod(name: string): name is TrustedMethod {
  return Object.prototype.hasOwnProperty.call(trustedMethods, name);
}

const ErrorCodeWire = z
  .string()
  .refine((c): c is ErrorCode => Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, c));
const ErrorParamsWire = z.record(z.string(), z.union([z.string(), z.number()]));

/** Sessions this connection has used, with their state after the frame: a host's `activeAccount` cache. */
const SessionsWire = z.record(z.string(), Account.nullable());

export const ReplyFrame = z.union([
  z.object({ id: z.number().int(), output: z.unknown(), sessions: SessionsWire }).strict(),
  z
    .object({
      id: z.number().int(),
      error: z.object({ code: ErrorCodeWire, params: ErrorParamsWire }).strict(),
      sessions: SessionsWire,
    })
    .strict(),
  z
    .object({ id: z.number().int(), progress: z.object({ done: z.number().int(), total: z.number().int() }).strict() })
    .strict(),
  z.object({ event: z.string(), payload: z.unknown(), sessions: SessionsWire }).strict(),
]);
export type ReplyFrame = z.infer<typeof ReplyFrame>;

/**
 * Splits a byte stream into newline-terminated frames, refusing (via `onOversize`) a frame longer
 * than `max` bytes before it is buffered whole: a client cannot make the engine hold gigabytes.
 */
export function frameReader(
  max: number,
  onFrame: (text: string) => void,
  onOversize: () => void,
): (chunk: Buffer) => void {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dead = false;
  return (chunk) => {
    if (dead) return;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (pendingBytes + piece.length > max) {
        dead = true;
        onOversize();
        return;
      }
      const whole = pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
      if (whole.length) onFrame(whole.toString('utf8'));
    }
    const rest = chunk.subarray(start);
    if (pendingBytes + rest.length > max) {
      dead = true;
      onOversize();
      return;
    }
    if (rest.length) {
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  };
}
