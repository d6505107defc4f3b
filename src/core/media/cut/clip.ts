/**
 * Clips cut from recordings: `planClip` says what a range will really hold (cheap, for the UI while
 * the in and out points move), `cutClip` writes it and measures the result. Handlers and the CLI
 * import from here; the parts live in `clipPlan.ts`, `clipArgs.ts`, `clipCut.ts`, `clipMeasure.ts`.
 */
export {
  planClip,
  ClipRangeError,
  type ClipCutPoints,
  type ClipMode,
  type ClipPlan,
  type ClipRangeReason,
  type ClipRequest,
} from './clipPlan';
export { cutClip, ClipMismatchError, type ClipResult, type CutOptions, type DroppedStream } from './clipCut';
export { EXACT_AUDIO, EXACT_VIDEO, type ClipEncoder } from './clipArgs';
export type { ClipMeasurement } from './clipMeasure';
export type { ClipContainer } from './clipContainer';
export type { StreamInfo } from '../probe/packets';
