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
 * Migration 112 adds why a derivation failed (`problem`, `problem_params`) to `derived`. A failed
 * row from before keeps its state, attempts and the tool's words, with no code (shown as
 * `toolFailed`); the new columns take a code and its parameters.
 */

const fresh = databasePerTest();

describe('migration 112: derived.problem', () => {
  it('keeps earlier rows as they were and adds the two columns', () => {
    const d = fresh();
    expect(updateToVersion(d, versionBefore(112))).toBe(111);
    // The item row is not what this migration is about; its foreign key is set aside to insert.
    d.pragma('foreign_keys = OFF');
    const before = {
      item_id: 'item-1',
      variant: 'thumbnail',
      state: 'failed',
      file: null,
      sha256: null,
      provenance: null,
      error: 'ffmpeg: Invalid data found when processing input',
      attempts: 3,
      updated_at: '2026-03-01T09:30:00.000+08:00',
    };
    insertData(d, 'derived', [before]);
    d.pragma('foreign_keys = ON');

    expect(updateToVersion(d, 112)).toBe(112);
    expect(getColumnNames(d, 'derived')).toEqual([...Object.keys(before), 'problem', 'problem_params']);
    expect(getTableData(d, 'derived')).toEqual([{ ...before, problem: null, problem_params: null }]);

    d.prepare(`UPDATE derived SET problem = 'heifTooLarge', problem_params = '{"width":10240}'`).run();
    expect(getTableData(d, 'derived')[0]).toMatchObject({ problem: 'heifTooLarge', problem_params: '{"width":10240}' });
  });
});
