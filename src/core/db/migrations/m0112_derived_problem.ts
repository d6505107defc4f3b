import type { WritableDB } from '../database';

/**
 * Migration 112: why a derivation failed, in a code the jobs panel says in plain words.
 *
 * - `derived.problem`: a `DeriveProblemCode` (`heifTooLarge`, `toolFailed`, …); null for rows
 *   that never failed, and for failures recorded before this migration (they keep their `error`
 *   text and are shown as `toolFailed`).
 * - `derived.problem_params`: the code's parameters as a JSON object (a photo's size and the
 *   limit, say); null when it has none.
 *
 * `error` keeps the tool's own words. Nothing is rebuilt: two nullable columns are added.
 */
export function m0112DerivedProblem(db: WritableDB): void {
  db.exec(`
    ALTER TABLE derived ADD COLUMN problem TEXT;
    ALTER TABLE derived ADD COLUMN problem_params TEXT;
  `);
}
