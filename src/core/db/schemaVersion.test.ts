import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations';
import { SCHEMA_VERSION } from './schemaVersion';

describe('SCHEMA_VERSION', () => {
  it("is the last migration's version, so read-only opens compare against what the engine migrates to", () => {
    expect(SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
  });
});
