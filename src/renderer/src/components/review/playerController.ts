import { createStore, type Store } from './store';
import { neighbourKeyframe } from './timelineScale';
import { frameNumberAt, frameNumberContaining, frameSeekSec, frameStartSec, type FrameGrid } from './timecode';

/** The frame on screen: from `requestVideoFrameCallback` when it has reported, else estimated from the position. */
export interface ShownFrame {
  mediaTimeSec: number;
  source: 'frame' | 'position';
}

export interface PlayState {
  /** Signed shuttle rate: 1, 2, 4, 8 forward, -1 … -8 reverse, 0 paused. */
  rate: number;
  durationSec: number;
  ready: boolean;
}

/** Forward and reverse shuttle speeds, one step per J or L press. */
export const SHUTTLE_RATES = [1, 2, 4, 8] as const;
/** Step used for frame keys when the recording has no known frame rate (audio). */
const FALLBACK_STEP_SEC = 0.1;

/**
 * Drives one `<video>` for the review workspace: play and shuttle, frame steps, seeks. Seeks are
 * throttled to one in flight (the newest request waits; older ones are dropped), so dragging
 * across a two-hour timeline never queues hundreds of seeks. Chromium cannot play backwards, so
 * reverse shuttle steps `currentTime` back, one seek after the other.
 *
 * Lives outside React: the workspace creates one and components subscribe to its stores.
 */
export class PlayerController {
  readonly shown: Store<ShownFrame> = createStore<ShownFrame>({ mediaTimeSec: 0, source: 'position' });
  readonly state: Store<PlayState>;

  private video: HTMLVideoElement | null = null;
  private seekInFlight = false;
  private pendingSeekSec: number | null = null;
  /** Where the latest requested seek goes, so a held key steps on from there and not from the stale frame. */
  private targetSec: number | null = null;
  private targetFrame: number | null = null;
  /** A frame step waits for the decoder to confirm it; one corrective seek if it landed elsewhere. */
  private confirm: { frame: number; corrected: boolean } | null = null;
  private frameReports = 0;
  /**
   * Reports of frames presented while no seek was running. A frame of the previous seek can be
   * reported just after the next seek has started; it is shown, but it says nothing about where
   * the running seek lands, so it never confirms or corrects a step.
   */
  private settledReports = 0;
  private lastReportSettled = false;
  private settledAtSeekStart = 0;
  private reverse: { rate: number; anchorSec: number; anchorMs: number } | null = null;
  private reverseTimer: number | null = null;
  private initialSec: number | null;

  constructor(
    /** Where frames are (rate and first frame, from ReviewInfo); null when the item has no video frames. */
    readonly grid: FrameGrid | null,
    /** Keyframe times (the filmstrip's tile times), ascending. */
    private keyframesSec: readonly number[],
    knownDurationSec: number | null,
    initialSec?: number,
  ) {
    this.state = createStore<PlayState>({ rate: 0, durationSec: knownDurationSec ?? 0, ready: false });
    this.initialSec = initialSec ?? null;
  }

  /** The filmstrip arrives after the recording opens (made in the background): keyframe jumps use it from then on. */
  setKeyframes(timesSec: readonly number[]): void {
    this.keyframesSec = timesSec;
  }

  /** Connects the element; the returned function disconnects it (component unmount). */
  attach(video: HTMLVideoElement): () => void {
    this.video = video;
    const onMeta = () => {
      const duration = Number.isFinite(video.duration) ? video.duration : this.state.get().durationSec;
      this.patchState({ durationSec: duration, ready: true });
      if (this.initialSec !== null) {
        this.seekToTime(this.initialSec);
        this.initialSec = null;
      }
    };
    const onSeeked = () => this.onSeeked();
    const onPause = () => {
      // The event is queued: a key that started playing again since (input runs first) wins.
      if (!this.reverse && video.paused) this.patchState({ rate: 0 });
    };
    const onEnded = () => this.patchState({ rate: 0 });
    const onTimeUpdate = () => {
      // Only a fallback: requestVideoFrameCallback reports the frame itself where it exists.
      if (this.frameReports === 0 && !this.seekInFlight) this.publishPosition(video.currentTime);
    };
    video.addEventListener('loadedmetadata', onMeta);
    video.addEventListener('durationchange', onMeta);
    video.addEventListener('seeked', onSeeked);
    video.addEventListener('pause', onPause);
    video.addEventListener('ended', onEnded);
    video.addEventListener('timeupdate', onTimeUpdate);
    if (video.readyState >= HTMLMediaElement.HAVE_METADATA) onMeta();

    let frameHandle: number | null = null;
    const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
      this.frameReports += 1;
      this.lastReportSettled = !video.seeking;
      if (this.lastReportSettled) this.settledReports += 1;
      this.shown.set({ mediaTimeSec: metadata.mediaTime, source: 'frame' });
      this.confirmStep();
      frameHandle = video.requestVideoFrameCallback(onFrame);
    };
    if ('requestVideoFrameCallback' in video) frameHandle = video.requestVideoFrameCallback(onFrame);

    return () => {
      this.stopReverse();
      if (frameHandle !== null) video.cancelVideoFrameCallback(frameHandle);
      video.removeEventListener('loadedmetadata', onMeta);
      video.removeEventListener('durationchange', onMeta);
      video.removeEventListener('seeked', onSeeked);
      video.removeEventListener('pause', onPause);
      video.removeEventListener('ended', onEnded);
      video.removeEventListener('timeupdate', onTimeUpdate);
      if (this.video === video) this.video = null;
    };
  }

  get isPlaying(): boolean {
    return this.state.get().rate !== 0;
  }

  togglePlay(): void {
    if (this.isPlaying) this.pause();
    else this.playForward(1);
  }

  pause(): void {
    this.stopReverse();
    this.video?.pause();
    this.patchState({ rate: 0 });
  }

  /** L: 1×, then 2×, 4×, 8× on each press; from reverse it starts again at 1× forward. */
  shuttleForward(): void {
    const rate = this.state.get().rate;
    this.playForward(rate > 0 ? nextRate(rate) : 1);
  }

  /** J: reverse 1×, then 2×, 4×, 8×. */
  shuttleReverse(): void {
    const rate = this.state.get().rate;
    const speed = rate < 0 ? nextRate(-rate) : 1;
    const video = this.video;
    if (!video) return;
    video.pause();
    this.confirm = null;
    this.reverse = { rate: speed, anchorSec: this.positionSec(), anchorMs: performance.now() };
    this.patchState({ rate: -speed });
    this.stepReverse();
  }

  /** Frame step: pauses, then shows the frame `delta` frames away from the one on screen. */
  stepFrames(delta: number): void {
    this.pause();
    if (this.grid === null) {
      this.seekTo(this.positionSec() + delta * FALLBACK_STEP_SEC);
      return;
    }
    this.seekFrame(this.currentFrame() + delta);
  }

  /** Arrow keys: by whole frames where frames are known, so the picture stays on a frame boundary. */
  seekBy(seconds: number): void {
    if (this.grid === null) this.seekTo(this.positionSec() + seconds);
    else this.seekFrame(this.currentFrame() + Math.round(seconds * this.grid.fps));
  }

  /** Timeline clicks, go-to, tag and marker jumps: the frame containing that time. */
  seekToTime(seconds: number): void {
    if (this.grid === null) this.seekTo(seconds);
    else this.seekFrame(frameNumberContaining(seconds, this.grid));
  }

  seekToFrame(frame: number): void {
    if (this.grid === null) return;
    this.seekFrame(frame);
  }

  goToStart(): void {
    this.pause();
    this.seekToTime(0);
  }

  goToEnd(): void {
    this.pause();
    if (this.grid === null) this.seekTo(this.state.get().durationSec);
    else this.seekFrame(this.lastFrame());
  }

  /** The keyframe before (-1) or after (+1) the frame on screen. */
  jumpKeyframe(direction: -1 | 1): void {
    if (this.keyframesSec.length === 0) return;
    this.pause();
    const here = this.grid === null ? this.positionSec() : frameStartSec(this.currentFrame(), this.grid);
    const tolerance = this.grid === null ? 0.001 : 0.5 / this.grid.fps;
    const target = neighbourKeyframe(this.keyframesSec, here, tolerance, direction);
    if (target !== null) this.seekToTime(target);
  }

  /** Scrubbing: pause once, then follow the pointer; the throttle keeps only the newest position. */
  scrubTo(seconds: number): void {
    if (this.isPlaying) this.pause();
    this.seekToTime(seconds);
  }

  /** The frame on screen (or the one a running seek is going to). */
  currentFrame(): number {
    if (this.grid === null) return 0;
    if (this.targetFrame !== null) return this.targetFrame;
    const shown = this.shown.get();
    return shown.source === 'frame'
      ? frameNumberAt(shown.mediaTimeSec, this.grid)
      : frameNumberContaining(shown.mediaTimeSec, this.grid);
  }

  /** Media time of the frame on screen: its start, which is what in/out points, markers and stills use. */
  currentFrameTimeSec(): number {
    if (this.grid === null) return this.positionSec();
    return frameStartSec(this.currentFrame(), this.grid);
  }

  /** Where the playhead goes: the moving position while playing, else the frame being shown. */
  positionSec(): number {
    const video = this.video;
    if (this.targetSec !== null) return this.targetSec;
    if (video && this.isPlaying && !this.reverse) return video.currentTime;
    return this.shown.get().mediaTimeSec;
  }

  lastFrame(): number {
    if (this.grid === null) return 0;
    const { fps, originSec } = this.grid;
    return Math.max(0, Math.ceil((this.state.get().durationSec - originSec) * fps - 1e-6) - 1);
  }

  private playForward(rate: number): void {
    const video = this.video;
    if (!video) return;
    this.stopReverse();
    this.targetFrame = null;
    this.targetSec = null;
    this.confirm = null;
    video.playbackRate = rate;
    this.patchState({ rate });
    video.play().catch(() => {
      // A play() interrupted by pause() rejects; the pause handler already set the state.
    });
  }

  private seekFrame(frame: number): void {
    if (this.grid === null) return;
    const clamped = Math.min(Math.max(0, frame), this.lastFrame());
    this.targetFrame = clamped;
    this.confirm = { frame: clamped, corrected: false };
    this.seekTo(frameSeekSec(clamped, this.grid));
  }

  private seekTo(seconds: number): void {
    const video = this.video;
    const duration = this.state.get().durationSec;
    const clamped = Math.min(Math.max(0, seconds), duration > 0 ? duration : seconds);
    this.targetSec = clamped;
    if (!video) return;
    if (this.seekInFlight) {
      this.pendingSeekSec = clamped;
      return;
    }
    this.startSeek(video, clamped);
  }

  private startSeek(video: HTMLVideoElement, seconds: number): void {
    this.seekInFlight = true;
    this.settledAtSeekStart = this.settledReports;
    video.currentTime = seconds;
  }

  private onSeeked(): void {
    const video = this.video;
    if (!video) return;
    if (this.pendingSeekSec !== null) {
      const next = this.pendingSeekSec;
      this.pendingSeekSec = null;
      this.startSeek(video, next);
      return;
    }
    this.seekInFlight = false;
    // No new frame reported: the seek stayed on the frame already shown, or frame callbacks are missing.
    if (this.settledReports === this.settledAtSeekStart) {
      this.publishPosition(video.currentTime);
      // Nothing reported after the seek settled to check a step against: the position stands.
      this.confirm = null;
    }
    this.targetSec = null;
    this.targetFrame = null;
    this.confirmStep();
    if (this.reverse) this.scheduleReverse();
  }

  /**
   * After a frame seek: if the decoder reports a different frame than asked for (a recording whose
   * frames are not evenly spaced), seek once more by the difference. Never loops.
   */
  private confirmStep(): void {
    const confirm = this.confirm;
    const video = this.video;
    if (!confirm || !video || this.grid === null || this.seekInFlight) return;
    if (this.settledReports === this.settledAtSeekStart || !this.lastReportSettled) return;
    const shown = this.shown.get();
    if (shown.source !== 'frame') return;
    const shownFrame = frameNumberAt(shown.mediaTimeSec, this.grid);
    if (shownFrame === confirm.frame || confirm.corrected) {
      this.confirm = null;
      return;
    }
    confirm.corrected = true;
    this.targetFrame = confirm.frame;
    this.seekTo(video.currentTime + (confirm.frame - shownFrame) / this.grid.fps);
  }

  private publishPosition(seconds: number): void {
    this.shown.set({ mediaTimeSec: seconds, source: 'position' });
  }

  private scheduleReverse(): void {
    if (this.reverseTimer !== null) return;
    this.reverseTimer = window.setTimeout(() => {
      this.reverseTimer = null;
      this.stepReverse();
    }, 0);
  }

  private stepReverse(): void {
    const reverse = this.reverse;
    if (!reverse || this.seekInFlight) return;
    const target = reverse.anchorSec - (reverse.rate * (performance.now() - reverse.anchorMs)) / 1000;
    if (target <= 0) {
      this.pause();
      this.seekToTime(0);
      return;
    }
    this.seekTo(target);
    // Seeking to a time already shown fires no `seeked` in some cases; keep the loop alive regardless.
    if (!this.seekInFlight) this.scheduleReverse();
  }

  private stopReverse(): void {
    this.reverse = null;
    if (this.reverseTimer !== null) window.clearTimeout(this.reverseTimer);
    this.reverseTimer = null;
  }

  private patchState(patch: Partial<PlayState>): void {
    const current = this.state.get();
    const next = { ...current, ...patch };
    if (next.rate !== current.rate || next.durationSec !== current.durationSec || next.ready !== current.ready) {
      this.state.set(next);
    }
  }
}

function nextRate(rate: number): number {
  return SHUTTLE_RATES.find((r) => r > rate) ?? SHUTTLE_RATES[SHUTTLE_RATES.length - 1]!;
}
