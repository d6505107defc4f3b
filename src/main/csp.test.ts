import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from './csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('buildContentSecurityPolicy', () => {
  it('allows no inline, remote or eval script in a packaged app', () => {
    const policy = directives(buildContentSecurityPolicy());
    expect(policy.get('default-src')).toEqual(["'none'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('media-src')).toContain('evidence:');
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect([...policy.values()].flat().some((source) => /^https?:|^ws:|unsafe-eval/.test(source))).toBe(false);
  });

  it('lets the dev server and its HMR socket in during development only', () => {
    const policy = directives(buildContentSecurityPolicy('http://localhost:5173'));
    expect(policy.get('script-src')).toContain('http://localhost:5173');
    expect(policy.get('connect-src')).toContain('ws://localhost:5173');
  });
});
