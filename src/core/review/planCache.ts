import type { ClipPlan, ClipRequest } from '../media/cut/clipPlan';
import { KeptReads } from './keptReads';

/**
 * Clip plans of stored recordings, kept per recording and request. A plan is what ffprobe's
 * packets of the stored bytes say of a range, and those bytes never change: the clip panel plans
 * the range the person chose (`clips.plan`), and cutting that very range uses the same plan
 * instead of starting ffprobe again (one start of a dynamically linked build costs ~0.1 s of CPU).
 * The cut is still measured from the written file and refused when it differs from the plan.
 */
export class PlanCache extends KeptReads<ClipPlan> {
  constructor(limit = 32) {
    super(limit);
  }

  plan(sha256: string, request: ClipRequest, read: () => Promise<ClipPlan>): Promise<ClipPlan> {
    // Exact numbers as given: a range one microsecond off is another request, planned anew.
    const key = `${sha256}/${request.mode}/${request.fromSec}/${request.toSec}`;
    return this.get(key, read);
  }
}
