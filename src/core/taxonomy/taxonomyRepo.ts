import type { Taxonomy, ViolationType } from '../../shared/reviewSchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/**
 * The versioned violation catalogue. A version is written once and never changed (triggers refuse
 * it), so a tag that names (version, code) reads the same forever.
 */

export type TaxonomyHeader = Omit<Taxonomy, 'types'>;

interface VersionRow {
  version: number;
  created_at: string;
  created_by: string;
  note: string;
}

interface TypeRow {
  code: string;
  name_zh: string;
  name_en: string;
  legal_basis: string;
  retired: number;
}

function rowToHeader(row: VersionRow): TaxonomyHeader {
  return { version: row.version, createdAt: row.created_at, createdBy: row.created_by, note: row.note };
}

function rowToType(row: TypeRow): ViolationType {
  return {
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    legalBasis: row.legal_basis,
    retired: row.retired !== 0,
  };
}

/** The newest version's number, or null before the default catalogue is installed. */
export function latestTaxonomyVersion(db: ReadableDB): number | null {
  const row = db.prepare('SELECT max(version) AS v FROM taxonomy_versions').get() as { v: number | null };
  return row.v;
}

/** One version with its types in the order the admin saved them, or null. */
export function getTaxonomy(db: ReadableDB, version: number): Taxonomy | null {
  const header = db.prepare('SELECT * FROM taxonomy_versions WHERE version = ?').get(version) as VersionRow | undefined;
  if (!header) return null;
  const types = db
    .prepare('SELECT * FROM violation_types WHERE version = ? ORDER BY ordinal')
    .all(version) as TypeRow[];
  return { ...rowToHeader(header), types: types.map(rowToType) };
}

/** Every version without its types, newest first. */
export function listTaxonomyVersions(db: ReadableDB): TaxonomyHeader[] {
  return (db.prepare('SELECT * FROM taxonomy_versions ORDER BY version DESC').all() as VersionRow[]).map(rowToHeader);
}

/** Every code any version has held: none of them may disappear from a later version. */
export function codesOfAllVersions(db: ReadableDB): Set<string> {
  const rows = db.prepare('SELECT DISTINCT code FROM violation_types').all() as { code: string }[];
  return new Set(rows.map((r) => r.code));
}

export function getViolationType(db: ReadableDB, version: number, code: string): ViolationType | null {
  const row = db.prepare('SELECT * FROM violation_types WHERE version = ? AND code = ?').get(version, code) as
    TypeRow | undefined;
  return row ? rowToType(row) : null;
}

/** Writes a whole version; the caller has appended its custody entry in the same transaction. */
export function insertTaxonomyVersion(
  db: WritableDB,
  header: TaxonomyHeader & { custodySeq: number },
  types: readonly ViolationType[],
): void {
  db.prepare(
    `INSERT INTO taxonomy_versions (version, created_at, created_by, note, custody_seq)
     VALUES (@version, @createdAt, @createdBy, @note, @custodySeq)`,
  ).run(header);
  const insertType = db.prepare(
    `INSERT INTO violation_types (version, ordinal, code, name_zh, name_en, legal_basis, retired)
     VALUES (@version, @ordinal, @code, @nameZh, @nameEn, @legalBasis, @retired)`,
  );
  types.forEach((t, ordinal) => insertType.run({ version: header.version, ordinal, ...t, retired: t.retired ? 1 : 0 }));
}
