/**
 * The fixed sequence of seeks the seek-latency figure replays on each side. Seeded, so every run
 * and every machine asks the same positions in the same order.
 */

export type SeekKind = 'far' | 'short' | 'afterKey' | 'beforeKey';

export const SEEK_KINDS: readonly SeekKind[] = ['far', 'short', 'afterKey', 'beforeKey'];

export const SEEK_KIND_LABELS: Readonly<Record<SeekKind, string>> = {
  far: 'far jump (anywhere)',
  short: 'short jump (0.2–5 s from the last)',
  afterKey: '1–3 frames after a keyframe',
  beforeKey: 'last 1–2 frames of a GOP (decodes the whole GOP)',
};

export interface SeekTarget {
  kind: SeekKind;
  sec: number;
}

export interface SeekPlanSpec {
  durationSec: number;
  fps: number;
  keyframeIntervalSec: number;
  count: number;
  seed: number;
}

/** mulberry32: small, seedable, good enough to spread seeks. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The untimed first seek, to the middle frame: it pays for opening the decoder on each page. */
export function warmUpSec(spec: SeekPlanSpec): number {
  return (middleFrame(spec) + 0.5) / spec.fps;
}

function middleFrame(spec: SeekPlanSpec): number {
  return Math.floor(Math.floor((spec.durationSec - 1) * spec.fps) / 2);
}

/**
 * `count` seeks: 40 % far jumps, 25 % short jumps, the rest split between just after and just
 * before a keyframe, shuffled. Each lands in the middle of a frame so rounding cannot move it to a
 * neighbour, and at least a second away from the end.
 */
export function planSeeks(spec: SeekPlanSpec): SeekTarget[] {
  const random = seededRandom(spec.seed);
  const far = Math.round(spec.count * 0.4);
  const short = Math.round(spec.count * 0.25);
  const afterKey = Math.round((spec.count - far - short) / 2);
  const kinds: SeekKind[] = [
    ...Array<SeekKind>(far).fill('far'),
    ...Array<SeekKind>(short).fill('short'),
    ...Array<SeekKind>(afterKey).fill('afterKey'),
    ...Array<SeekKind>(spec.count - far - short - afterKey).fill('beforeKey'),
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }

  const lastFrame = Math.floor((spec.durationSec - 1) * spec.fps);
  const gopFrames = Math.round(spec.keyframeIntervalSec * spec.fps);
  const keyframes = Math.floor(lastFrame / gopFrames);
  const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const targets: SeekTarget[] = [];
  let previous = middleFrame(spec);
  for (const kind of kinds) {
    let frame: number;
    if (kind === 'far') frame = between(spec.fps, lastFrame);
    else if (kind === 'short') {
      const jump = between(Math.round(0.2 * spec.fps), 5 * spec.fps);
      frame = previous + (random() < 0.5 ? -jump : jump);
    } else if (kind === 'afterKey') frame = between(1, keyframes) * gopFrames + between(1, 3);
    else frame = between(1, keyframes) * gopFrames - between(1, 2);
    frame = Math.min(lastFrame, Math.max(0, frame));
    // Seeking to the frame already shown would skip the decode the figure is meant to time.
    if (frame === previous) frame = frame === lastFrame ? frame - 1 : frame + 1;
    targets.push({ kind, sec: (frame + 0.5) / spec.fps });
    previous = frame;
  }
  return targets;
}
