import { openPglite } from '../pglite';

/** Opens PGlite in argv[2], commits one row, then flushes (`flushToDisk`) only if argv[3] is "flush". */
const sql = await openPglite(process.argv[2]!);
await sql.query('CREATE TABLE IF NOT EXISTS flushed (n int)');
await sql.transaction(async (tx) => {
  await tx.query('INSERT INTO flushed VALUES (1)');
});
process.stderr.write('COMMITTED\n');
if (process.argv[3] === 'flush') await sql.flushToDisk();
process.stderr.write('FLUSHED\n');
await sql.close();
