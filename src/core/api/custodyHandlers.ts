import { AppError } from '../../shared/errors';
import { repairModes } from '../check/fileModes';
import { readHeadFile } from '../custody/chainHead';
import { verifyCheckpoints } from '../custody/checkpoints';
import { acknowledgeProblem, describeProblem, getProblem, listProblems } from '../custody/problemsRepo';
import { verifyCustody } from '../custody/verifyCustody';
import { inTransaction } from '../db/database';
import { actorOf, type Handlers, type Services } from './services';

type CustodyHandlers = Pick<
  Handlers,
  'custody.verify' | 'custody.problems' | 'custody.acknowledge' | 'station.check' | 'station.repairModes'
>;

/** The checkpoints as `custody.verify` and `check` see them: signatures checked with the station key when it is at hand. */
export async function checkpointVerdict(s: Services): ReturnType<typeof verifyCheckpoints> {
  // A checkpoint under way has its row committed before its file is renamed into place: let it
  // finish, or its file would read as missing.
  await s.checkpoints.settled();
  return verifyCheckpoints(s.db, { publicKeyPem: s.chainSigner()?.publicKeyPem ?? null, file: s.layout.checkpoint });
}

export function custodyHandlers(s: Services): CustodyHandlers {
  return {
    // Reads only: the head file is compared as found, never written first (a pass this engine
    // already had under way is let finish, so that what it found is on the record).
    'custody.verify': async () => {
      await s.head.idle();
      return verifyCustody(s.db, await readHeadFile(s.layout.chainHead), await checkpointVerdict(s));
    },
    'custody.problems': (input) => listProblems(s.db, { open: input.open }),
    'custody.acknowledge': (input, call) => {
      const actor = actorOf(call).name;
      inTransaction(s.db, () => {
        const problem = getProblem(s.db, input.id);
        if (!problem || problem.acknowledgedAt !== null)
          throw new AppError('custody.problemNotFound', { id: input.id });
        const entry = s.record({
          actor,
          action: 'custody.acknowledge',
          subject: null,
          sha256: null,
          details: {
            problem: problem.id,
            kind: problem.kind,
            firstSeq: problem.firstSeq,
            lastSeq: problem.lastSeq,
            description: describeProblem(problem),
          },
        });
        acknowledgeProblem(s.db, problem.id, actor, entry.at, entry.seq);
      });
      const after = getProblem(s.db, input.id);
      if (!after) throw new AppError('custody.problemNotFound', { id: input.id });
      return after;
    },
    'station.check': (input) => s.checkStation({ rehash: input.rehash }),
    'station.repairModes': async (_input, call) => {
      const actor = actorOf(call).name;
      const repaired = await repairModes(s.layout);
      if (repaired.length > 0) {
        s.log.warn('took group and other permissions off data directory files', { repaired });
        inTransaction(s.db, () =>
          s.record({ actor, action: 'station.repairModes', subject: null, sha256: null, details: { repaired } }),
        );
      }
      return { repaired };
    },
  };
}
