import { AppError } from '../../shared/errors';
import type { Taxonomy } from '../../shared/reviewSchemas';
import { inTransaction } from '../db/database';
import {
  codesOfAllVersions,
  getTaxonomy,
  insertTaxonomyVersion,
  latestTaxonomyVersion,
  listTaxonomyVersions,
} from '../taxonomy/taxonomyRepo';
import { assertNoTypeRemoved, diffTaxonomy } from '../taxonomy/taxonomyRules';
import { stationTimestamp } from '../util/time';
import { actorOf, type Handlers, type Services } from './services';

type TaxonomyHandlers = Pick<Handlers, 'taxonomy.get' | 'taxonomy.versions' | 'taxonomy.update'>;

export function taxonomyHandlers(s: Services): TaxonomyHandlers {
  const versionOrThrow = (version: number | undefined): Taxonomy => {
    const wanted = version ?? latestTaxonomyVersion(s.db);
    const taxonomy = wanted === null ? null : getTaxonomy(s.db, wanted);
    if (!taxonomy) throw new AppError('taxonomy.versionNotFound', { version: wanted ?? 0 });
    return taxonomy;
  };
  return {
    'taxonomy.get': (input) => versionOrThrow(input.version),
    'taxonomy.versions': () => listTaxonomyVersions(s.db),
    // A new version holds the full list; earlier versions stay as they were, so every tag keeps
    // the names and legal basis it was made with.
    'taxonomy.update': (input, call) => {
      const actor = actorOf(call).name;
      const version = inTransaction(s.db, () => {
        assertNoTypeRemoved(codesOfAllVersions(s.db), input.types);
        const latest = latestTaxonomyVersion(s.db);
        const previous = latest === null ? [] : (getTaxonomy(s.db, latest)?.types ?? []);
        const next = (latest ?? 0) + 1;
        const entry = s.record({
          actor,
          action: 'taxonomy.update',
          subject: null,
          sha256: null,
          details: { version: next, previousVersion: latest, note: input.note, ...diffTaxonomy(previous, input.types) },
        });
        insertTaxonomyVersion(
          s.db,
          {
            version: next,
            createdAt: stationTimestamp(s.now()),
            createdBy: actor,
            note: input.note,
            custodySeq: entry.seq,
          },
          input.types,
        );
        return next;
      });
      return versionOrThrow(version);
    },
  };
}
