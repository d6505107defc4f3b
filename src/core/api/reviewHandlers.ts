import type { ReviewDesk } from '../review/reviewDesk';
import { actorOf, type Handlers } from './services';

type ReviewHandlers = Pick<
  Handlers,
  'items.resolve' | 'review.open' | 'clips.plan' | 'clips.create' | 'clips.cancel' | 'stills.create'
>;

/** Opening evidence for review, and clips and stills: thin over `ReviewDesk`, which holds the jobs. */
export function reviewHandlers(desk: ReviewDesk): ReviewHandlers {
  return {
    'items.resolve': (input) => ({ id: desk.resolve(input.ref) }),
    'review.open': (input, call) => desk.open(input.itemId, actorOf(call).name),
    'clips.plan': (input) => desk.plan(input),
    'clips.create': (input, call) => desk.createClip(input, actorOf(call).name),
    'clips.cancel': (input) => {
      desk.cancelClip(input.jobId);
      return { ok: true };
    },
    'stills.create': (input, call) => desk.createStill(input, actorOf(call).name),
  };
}
