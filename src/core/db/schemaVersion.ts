/**
 * The schema version this build's migrations end at (`MIGRATIONS`' last version; a test holds the
 * two equal). A number of its own so that a command that only reads can compare a station's
 * schema with it without loading every migration.
 */
export const SCHEMA_VERSION = 112;
