import { describe, expect, it } from 'vitest';
import type { BridgeResult } from '../shared/bridge';
import type { ErrorCode } from '../shared/errors';
import { createSessionGate } from './sessionGate';

const SESSION = 's'.repeat(32);
const OTHER = 'o'.repeat(32);
const ok = (value: unknown = {}): BridgeResult => ({ ok: true, value });
const refused = (code: ErrorCode): BridgeResult => ({ ok: false, error: { code, params: {} } });

/** A gate over a set of active sessions that the test edits, as the engine's session registry would change. */
function gateOver(...active: string[]) {
  const sessions = new Set(active);
  return { sessions, gate: createSessionGate((id) => sessions.has(id)) };
}

describe('createSessionGate', () => {
  it('is closed before any call and after calls without a session', () => {
    const { gate } = gateOver(SESSION);
    expect(gate.isOpen()).toBe(false);
    gate.observe('station.status', null, ok());
    expect(gate.isOpen()).toBe(false);
  });

  it.each(['auth.signIn', 'auth.setupAdmin', 'auth.unlock'] as const)('opens with the session %s returns', (method) => {
    const { gate } = gateOver(SESSION);
    gate.observe(method, null, ok({ sessionId: SESSION }));
    expect(gate.isOpen()).toBe(true);
  });

  it('follows the session of successful calls and ignores failed ones', () => {
    const { gate } = gateOver(SESSION, OTHER);
    gate.observe('library.facets', SESSION, ok());
    expect(gate.isOpen()).toBe(true);
    gate.observe('auth.signIn', SESSION, refused('auth.invalid'));
    expect(gate.isOpen()).toBe(true);
    gate.observe('station.status', null, ok());
    expect(gate.isOpen()).toBe(false);
  });

  it('closes on sign-out, whatever the answer', () => {
    const { gate } = gateOver(SESSION);
    gate.observe('auth.whoami', SESSION, ok());
    gate.observe('auth.signOut', SESSION, refused('internal'));
    expect(gate.isOpen()).toBe(false);
  });

  it('asks at each event whether the session is still active (lock, idle timeout)', () => {
    const { gate, sessions } = gateOver(SESSION);
    gate.observe('auth.whoami', SESSION, ok());
    expect(gate.isOpen()).toBe(true);
    sessions.delete(SESSION);
    expect(gate.isOpen()).toBe(false);
    sessions.add(SESSION);
    expect(gate.isOpen()).toBe(true);
  });
});
