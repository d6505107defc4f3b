import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  getColumnNames,
  getTableData,
  insertData,
  updateToVersion,
  versionBefore,
} from '../../../../test/engine/migrationHelpers';

/**
 * Migration 50 in the Signal style: accounts stored by the version before it keep every value
 * and gain the new columns with defaults that change nothing about them; the new constraints hold.
 */

const fresh = databasePerTest();

function account(name: string, role: string, disabled: number) {
  return {
    name,
    display_name: name.toUpperCase(),
    role,
    password_hash: `scrypt$32768$8$1$salt-${name}$key-${name}`,
    created_at: '2026-03-01T09:30:00.000+08:00',
    disabled,
  };
}

describe('migration 50: accounts an admin can manage', () => {
  it('keeps existing accounts as they were and adds the new columns with neutral defaults', () => {
    const d = fresh();
    updateToVersion(d, versionBefore(50));
    insertData(d, 'accounts', [account('admin', 'admin', 0), account('li.wei', 'reviewer', 1)]);
    const before = getTableData(d, 'accounts');

    expect(updateToVersion(d, 50)).toBe(50);
    const after = getTableData(d, 'accounts');
    expect(after).toEqual(
      before.map((row) => ({
        ...row,
        officer_number: null,
        locale: null,
        must_change_password: 0,
        failed_attempts: 0,
        last_failed_ms: null,
        locked_out_at: null,
        session_epoch: 0,
      })),
    );
    expect(getColumnNames(d, 'accounts')).toEqual(
      expect.arrayContaining(['officer_number', 'locale', 'must_change_password', 'locked_out_at', 'session_epoch']),
    );
  });

  it('keeps officer numbers unique when present, and refuses values outside the rules', () => {
    const d = fresh();
    updateToVersion(d, 50);
    insertData(d, 'accounts', [account('a', 'admin', 0), account('b', 'reviewer', 0), account('c', 'reviewer', 0)]);
    d.prepare(`UPDATE accounts SET officer_number = '010245' WHERE name = 'a'`).run();
    expect(() => d.prepare(`UPDATE accounts SET officer_number = '010245' WHERE name = 'b'`).run()).toThrow(/UNIQUE/);
    // Many accounts may have none.
    expect(getTableData(d, 'accounts').filter((r) => r['officer_number'] === null)).toHaveLength(2);
    expect(() => d.prepare(`UPDATE accounts SET locale = 'fr' WHERE name = 'b'`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE accounts SET must_change_password = 2 WHERE name = 'b'`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE accounts SET failed_attempts = -1 WHERE name = 'b'`).run()).toThrow(/CHECK/);
  });
});
