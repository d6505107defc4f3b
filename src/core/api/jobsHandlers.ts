import { jobCounts, listFailedJobs, retryFailedJobs } from '../jobs/derivedRepo';
import { actorOf, type Handlers, type Services } from './services';

type JobsHandlers = Pick<Handlers, 'jobs.failures' | 'jobs.retry'>;

/**
 * The background-jobs panel: which derivations failed and why, and trying them again. Derived
 * media are views of the evidence, never evidence: a retry changes no original and no record, so it
 * is written to the station log, not the custody chain.
 */
export function jobsHandlers(s: Services, kick: () => void): JobsHandlers {
  return {
    'jobs.failures': () => ({ failures: listFailedJobs(s.db) }),
    'jobs.retry': (input, call) => {
      const requeued = retryFailedJobs(s.db, input, s.now());
      s.log.info('derived media jobs queued again', { ...input, requeued, by: actorOf(call).name });
      if (requeued > 0) {
        s.emit('jobs.changed', jobCounts(s.db));
        kick();
      }
      return { requeued };
    },
  };
}
