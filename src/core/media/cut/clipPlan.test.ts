import { beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { ClipRangeError, computeClipPlan, planClip } from './clipPlan';
import {
  findMainVideo,
  probeSource,
  readVideoPackets,
  type SourceInfo,
  type StreamInfo,
  type VideoPacket,
} from '../probe/packets';

// The review fixture: 6 s at 25 fps, keyframes at every whole second, B-frames decoded as
// I P B B P B B … (display 0 3 1 2 6 4 5 …), so every third frame is decoded ahead of two others.
const fx = getMediaFixtures();
let tools: MediaTools;
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
});

const reasonOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof ClipRangeError ? error.reason : String(error)),
  );

describe('planClip, lossless', () => {
  it('starts on the keyframe at or before the in point and ends before the first frame it cannot hold', async () => {
    const plan = await planClip(tools, fx.review, { fromSec: 2.5, toSec: 4.3, mode: 'lossless' });
    // Frame 4.28 s is decoded after 4.36 s (past the out point), so the clip ends after 4.24 s.
    expect(plan).toMatchObject({
      mode: 'lossless',
      requestedFromSec: 2.5,
      requestedToSec: 4.3,
      keyframeSec: 2,
      fromSec: 2,
      toSec: 4.28,
      frameCount: 57,
      frameRate: 25,
      container: 'mp4',
      extension: '.mp4',
    });
    expect(plan.cut).toMatchObject({ seekSec: 2, firstPts: 25600, timeBase: { num: 1, den: 12800 } });
    // Between the decode times of the last packet kept (4.16 s) and the first left out (4.20 s).
    expect(plan.cut.videoStopSec).toBeCloseTo(4.18, 6);
  });

  it('keeps a frame decoded before the out point when nothing after it is missing', async () => {
    // 4.36 s is decoded before 4.28 and 4.32: an out point of 4.40 holds them all.
    const plan = await planClip(tools, fx.review, { fromSec: 3, toSec: 4.4, mode: 'lossless' });
    expect(plan).toMatchObject({ keyframeSec: 3, fromSec: 3, toSec: 4.4, frameCount: 35 });
  });

  it('runs to the end of the recording when the out point is past it', async () => {
    const plan = await planClip(tools, fx.review, { fromSec: 5.5, toSec: 60, mode: 'lossless' });
    expect(plan).toMatchObject({ fromSec: 5, toSec: 6, frameCount: 25 });
    expect(plan.cut.videoStopSec).toBeNull();
    expect(plan.cut.endPts).toBeNull();
  });

  it('finds a keyframe further back than its first look', async () => {
    const source = await probeSource(tools, fx.review);
    const video = findMainVideo(source);
    if (!video) throw new Error('no video');
    const late = await readVideoPackets(tools, fx.review, source, video.index, { fromSec: 2.9, toSec: 4 });
    const list = { packets: late.filter((p) => (p.pts ?? 0) >= 35000), startsAtBeginning: false, reachesEnd: false };
    expect(computeClipPlan(source, video, list, { fromSec: 2.95, toSec: 3.5, mode: 'lossless' })).toBeNull();
  });
});

describe('planClip, exact', () => {
  it('holds exactly the frames that start in [from, to)', async () => {
    const plan = await planClip(tools, fx.review, { fromSec: 2.52, toSec: 4.3, mode: 'exact' });
    expect(plan).toMatchObject({ fromSec: 2.52, toSec: 4.32, frameCount: 45, keyframeSec: 2, container: 'mp4' });
    expect(plan.cut).toMatchObject({ seekSec: 2.52, firstPts: 32256, endPts: 55296 });
  });

  it('starts on the next frame when the in point falls between two, and excludes a frame at the out point', async () => {
    const plan = await planClip(tools, fx.review, { fromSec: 1.01, toSec: 1.2, mode: 'exact' });
    // 1.04, 1.08, 1.12, 1.16; the frame at 1.20 is at the (exclusive) out point.
    expect(plan).toMatchObject({ fromSec: 1.04, toSec: 1.2, frameCount: 4 });
  });
});

describe('planClip errors', () => {
  it('refuses ranges it cannot cut, each with its reason', async () => {
    expect(await reasonOf(planClip(tools, fx.review, { fromSec: 6, toSec: 7, mode: 'lossless' }))).toBe('outside');
    expect(await reasonOf(planClip(tools, fx.review, { fromSec: 6.5, toSec: 7, mode: 'exact' }))).toBe('outside');
    expect(await reasonOf(planClip(tools, fx.review, { fromSec: 2.01, toSec: 2.03, mode: 'exact' }))).toBe('empty');
    expect(await reasonOf(planClip(tools, fx.review, { fromSec: 3, toSec: 2, mode: 'exact' }))).toBe('invalid');
    expect(await reasonOf(planClip(tools, fx.audio, { fromSec: 0, toSec: 1, mode: 'lossless' }))).toBe('noVideo');
  });
});

describe('computeClipPlan', () => {
  const video: StreamInfo = { index: 0, type: 'video', codec: 'h264', timeBase: { num: 1, den: 10 }, frameRate: 10 };
  const source: SourceInfo = {
    formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    majorBrand: 'isom',
    startSec: 0,
    durationSec: 1,
    streams: [video],
  };
  const packet = (pts: number, dts: number, key = false): VideoPacket => ({
    pts,
    dts,
    duration: 1,
    isKeyframe: key,
    isDiscarded: false,
  });

  it('stops at the first packet shown at or after the out point, even with frames before it left out', () => {
    // 4 is decoded before 2, 1 and 3, which refer to it. Out point 0.4: 4 is at the out point, so
    // the copy stops there, and 1, 2, 3 cannot be decoded without it: only 0 remains.
    const packets = [packet(0, -2, true), packet(4, -1), packet(2, 0), packet(1, 1), packet(3, 2), packet(5, 3)];
    const plan = computeClipPlan(
      source,
      video,
      { packets, startsAtBeginning: true, reachesEnd: true },
      {
        fromSec: 0,
        toSec: 0.4,
        mode: 'lossless',
      },
    );
    expect(plan).toMatchObject({ fromSec: 0, toSec: 0.1, frameCount: 1 });
  });

  it('never keeps a prefix with a hole in display order', () => {
    // Decode order 0 2 3 1: stopping at 3 (shown at the out point 0.3) would keep 0 and 2 without
    // 1, which is decoded later; the plan keeps only 0.
    const packets = [packet(0, -1, true), packet(2, 0), packet(3, 1), packet(1, 2), packet(4, 3)];
    const plan = computeClipPlan(
      source,
      video,
      { packets, startsAtBeginning: true, reachesEnd: true },
      {
        fromSec: 0,
        toSec: 0.3,
        mode: 'lossless',
      },
    );
    expect(plan).toMatchObject({ fromSec: 0, toSec: 0.1, frameCount: 1 });
  });

  it('asks for a wider list when it cannot prove it holds the frame after the clip', () => {
    // ffprobe's window stopped at 6, shown past it; 4 and 5, decoded later, are missing. An exact
    // clip of [0.1, 0.45) must not end at 6 (or, without 6, at the end of the recording).
    const packets = [packet(0, -1, true), packet(3, 0), packet(1, 1), packet(2, 2), packet(6, 3)];
    const list = { packets, startsAtBeginning: true, reachesEnd: false };
    expect(computeClipPlan(source, video, list, { fromSec: 0.1, toSec: 0.45, mode: 'exact' })).toBeNull();
    expect(computeClipPlan(source, video, list, { fromSec: 0, toSec: 0.35, mode: 'lossless' })).toBeNull();
    const cut = { packets: packets.slice(0, 4), startsAtBeginning: true, reachesEnd: false };
    expect(computeClipPlan(source, video, cut, { fromSec: 0.1, toSec: 0.35, mode: 'exact' })).toBeNull();
    // With the rest of the stream the plan is made, ending at 4.
    const whole = [...packets, packet(4, 4), packet(5, 5), packet(7, 6)];
    expect(
      computeClipPlan(
        source,
        video,
        { packets: whole, startsAtBeginning: true, reachesEnd: false },
        {
          fromSec: 0.1,
          toSec: 0.45,
          mode: 'exact',
        },
      ),
    ).toMatchObject({ fromSec: 0.1, toSec: 0.5, frameCount: 4 });
  });
});
