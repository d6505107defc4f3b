import { PGlite } from '@electric-sql/pglite';
const rss = () => Math.round(process.memoryUsage().rss / 1e6);
console.log('start', rss());
const db = await PGlite.create({ dataDir: process.argv[2] });
console.log('open', rss());
await db.query('select 1');
console.log('query', rss());
