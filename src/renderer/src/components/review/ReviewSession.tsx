import { useEffect, useRef, useState, type RefObject } from 'react';
import type { DerivedEvidence, ReviewInfo, Tag } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useNavigation } from '../../station/NavigationContext';
import { useClient } from '../../station/StationContext';
import { AddToCaseDialog } from '../cases/AddToCaseDialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { ClipPanel } from './ClipPanel';
import { DerivationPanel } from './DerivationPanel';
import { GoToDialog } from './GoToDialog';
import { MarkersPanel } from './MarkersPanel';
import { Player } from './Player';
import { PlayerController } from './playerController';
import { ReviewHeader } from './ReviewHeader';
import { markIn, markOut, type DroppedMark, type MarkResult } from './rangeMarks';
import { NO_RANGE, type InOut } from './reviewTypes';
import type { ShortcutAction } from './shortcuts';
import { ShortcutHelp } from './ShortcutHelp';
import { StillPanel } from './StillPanel';
import { TagsPanel, latestChangedTag } from './TagsPanel';
import { TimeDisplay } from './TimeDisplay';
import { Timeline, type TimelineHandle } from './Timeline';
import { frameNumberAt, frameStartSec, type FrameGrid } from './timecode';
import { Transport } from './Transport';
import { useReviewKeys } from './useReviewKeys';

type Overlay = { kind: 'none' } | { kind: 'help' } | { kind: 'goTo' } | { kind: 'addToCase'; itemIds: string[] };

/** One opened recording: the player and its controller, the in/out range, and the panels around them. */
export function ReviewSession({ info, atSec, reload }: { info: ReviewInfo; atSec?: number; reload(): void }) {
  const client = useClient();
  const { navigate } = useNavigation();
  const item = info.item;
  const [grid] = useState<FrameGrid | null>(() =>
    info.frameRate === null ? null : { fps: info.frameRate, originSec: info.videoStartSec },
  );
  const durationSec = item.media.durationSec ?? item.durationSec ?? 0;
  const [controller] = useState(
    () => new PlayerController(grid, info.filmstrip?.timesSec ?? [], durationSec || null, atSec),
  );
  const timeline = useRef<TimelineHandle>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState<InOut>(NO_RANGE);
  // A point that setting the other cleared, shown until the next mark so the loss is never silent.
  const [droppedMark, setDroppedMark] = useState<DroppedMark | null>(null);
  const applyMark = (result: MarkResult) => {
    setRange(result.range);
    setDroppedMark(result.dropped);
  };
  const clearRange = () => {
    setRange(NO_RANGE);
    setDroppedMark(null);
  };
  const [plan, setPlan] = useState<{ fromSec: number; toSec: number } | null>(null);
  const [overlay, setOverlay] = useState<Overlay>({ kind: 'none' });
  const [tagsRevision, setTagsRevision] = useState(0);
  const tags = useLoad(
    () => client.call('tags.list', { itemId: item.id, includeRemoved: true }),
    `${item.id}:${tagsRevision}`,
  );
  const taxonomy = useLoad(() => client.call('taxonomy.get', {}), 'taxonomy');
  const still = useAction();
  const [madeStill, setMadeStill] = useState<DerivedEvidence | null>(null);
  const marker = useAction();
  const undo = useAction();
  const canPlay = info.playback === 'original' || info.playback === 'proxy';

  useEffect(() => controller.setKeyframes(info.filmstrip?.timesSec ?? []), [controller, info.filmstrip]);
  useStationEvent('review.changed', (changed) => {
    if (changed.itemId === item.id) setTagsRevision((r) => r + 1);
  });
  usePauseWhenHidden(rootRef, controller);

  const tagsChanged = () => {
    setTagsRevision((r) => r + 1);
    reload();
  };
  const undoTag = (tag: Tag) => {
    void undo.run(() => client.call('tags.undo', { id: tag.id })).then((done) => done && tagsChanged());
  };
  const open = (itemId: string, at?: number) =>
    navigate(at === undefined ? { view: 'review', itemId } : { view: 'review', itemId, atSec: at });
  const addToCase = (itemIds: string[]) => setOverlay({ kind: 'addToCase', itemIds });

  const takeStill = () => {
    if (!canPlay || still.busy) return;
    const atSec = controller.currentFrameTimeSec();
    void still
      .run(() => client.call('stills.create', { itemId: item.id, atSec }))
      .then((made) => {
        if (!made) return;
        setMadeStill(made);
        reload();
      });
  };

  const addMarker = () => {
    if (!canPlay) return;
    const atSec = controller.currentFrameTimeSec();
    void marker
      .run(() => client.call('markers.add', { itemId: item.id, atSec, label: '' }))
      .then((done) => {
        if (done) reload();
      });
  };

  /** The one dispatcher of the workspace: keys, buttons and tooltips all name these actions. */
  const run = (action: ShortcutAction): void => {
    const frameSec = () => controller.currentFrameTimeSec();
    // The out point is exclusive: O marks the end just after the frame on screen, so that frame is in.
    const afterFrameSec = () =>
      grid === null ? controller.positionSec() : frameStartSec(controller.currentFrame() + 1, grid);
    switch (action) {
      case 'playPause':
        return controller.togglePlay();
      case 'shuttleReverse':
        return controller.shuttleReverse();
      case 'stop':
        return controller.pause();
      case 'shuttleForward':
        return controller.shuttleForward();
      case 'frameBack':
        return controller.stepFrames(-1);
      case 'frameForward':
        return controller.stepFrames(1);
      case 'keyframePrev':
        return controller.jumpKeyframe(-1);
      case 'keyframeNext':
        return controller.jumpKeyframe(1);
      case 'seekBack':
        return controller.seekBy(-1);
      case 'seekForward':
        return controller.seekBy(1);
      case 'seekBackLong':
        return controller.seekBy(-10);
      case 'seekForwardLong':
        return controller.seekBy(10);
      case 'goStart':
        return controller.goToStart();
      case 'goEnd':
        return controller.goToEnd();
      case 'markIn':
        return applyMark(markIn(range, frameSec()));
      case 'markOut':
        return applyMark(markOut(range, afterFrameSec()));
      case 'goIn':
        if (range.inSec !== null) controller.seekToTime(range.inSec);
        return;
      case 'goOut':
        if (range.outSec === null) return;
        if (grid === null) controller.seekToTime(range.outSec);
        else controller.seekToFrame(frameNumberAt(range.outSec, grid) - 1);
        return;
      case 'clearRange':
        return clearRange();
      case 'marker':
        return addMarker();
      case 'still':
        return takeStill();
      case 'goTo':
        return setOverlay({ kind: 'goTo' });
      case 'zoomIn':
        return timeline.current?.zoomIn();
      case 'zoomOut':
        return timeline.current?.zoomOut();
      case 'zoomFit':
        return timeline.current?.zoomFit();
      case 'undoTag': {
        const latest = latestChangedTag(tags.data ?? []);
        if (latest) undoTag(latest);
        return;
      }
      case 'help':
        return setOverlay((current) => (current.kind === 'help' ? { kind: 'none' } : { kind: 'help' }));
    }
  };
  useReviewKeys(rootRef, overlay.kind === 'none' || overlay.kind === 'help', run);

  const closeOverlay = () => setOverlay({ kind: 'none' });
  const seek = (sec: number) => controller.seekToTime(sec);

  return (
    <div
      className="review-workspace"
      ref={rootRef}
      data-testid="review-workspace"
      data-item-id={item.id}
      data-state="ready"
    >
      <ReviewHeader info={info} onBack={() => navigate({ view: 'library' })} onAddToCase={() => addToCase([item.id])} />
      <div className="review-body">
        <div className="review-main">
          <Player info={info} controller={controller} />
          <TimeDisplay controller={controller} item={item} />
          {canPlay ? <Transport controller={controller} run={run} canStill={canPlay} stillBusy={still.busy} /> : null}
          <ErrorBanner error={marker.error} onDismiss={marker.clearError} />
          {canPlay ? (
            <Timeline
              controller={controller}
              durationSec={durationSec}
              grid={grid}
              filmstrip={info.filmstrip}
              filmstripState={item.filmstrip}
              sheetUrl={(sheet) => client.mediaUrl(item.id, 'filmstrip', sheet)}
              range={range}
              plan={plan}
              tags={tags.data ?? info.tags}
              markers={info.markers}
              handleRef={timeline}
            />
          ) : null}
        </div>
        <aside className="review-side" data-testid="review-side">
          {canPlay && item.kind === 'video' ? (
            <ClipPanel
              itemId={item.id}
              grid={grid}
              range={range}
              droppedMark={droppedMark}
              onClear={clearRange}
              onMade={reload}
              onOpen={open}
              onAddToCase={addToCase}
              onPlan={setPlan}
            />
          ) : null}
          {canPlay && item.kind === 'video' ? (
            <StillPanel
              action={still}
              made={madeStill}
              grid={grid}
              onTake={takeStill}
              onOpen={open}
              onAddToCase={addToCase}
            />
          ) : null}
          <TagsPanel
            itemId={item.id}
            tags={tags.data ?? info.tags}
            taxonomy={taxonomy.data}
            range={range}
            onSeek={seek}
            onChanged={tagsChanged}
            undo={undoTag}
            undoError={undo.error}
            onDismissUndoError={undo.clearError}
          />
          {canPlay ? (
            <MarkersPanel
              itemId={item.id}
              markers={info.markers}
              grid={grid}
              currentFrameSec={() => controller.currentFrameTimeSec()}
              onSeek={seek}
              onChanged={reload}
            />
          ) : null}
          <DerivationPanel derivation={info.derivation} derivatives={info.derivatives} onOpen={open} />
        </aside>
      </div>
      {overlay.kind === 'help' ? <ShortcutHelp onClose={closeOverlay} /> : null}
      {overlay.kind === 'goTo' ? (
        <GoToDialog
          durationSec={controller.state.get().durationSec || durationSec}
          lastFrame={grid === null ? null : controller.lastFrame()}
          onGo={(target) =>
            target.kind === 'frame' ? controller.seekToFrame(target.frame) : controller.seekToTime(target.seconds)
          }
          onClose={closeOverlay}
        />
      ) : null}
      {overlay.kind === 'addToCase' ? <AddToCaseDialog itemIds={overlay.itemIds} onClose={closeOverlay} /> : null}
    </div>
  );
}

/** Playing on behind the lock screen would let anyone passing by watch and hear the evidence. */
function usePauseWhenHidden(rootRef: RefObject<HTMLElement | null>, controller: PlayerController): void {
  useEffect(() => {
    const shell = rootRef.current?.closest('.app-shell');
    if (!shell) return;
    const observer = new MutationObserver(() => {
      if (shell.getAttribute('aria-hidden') === 'true') controller.pause();
    });
    observer.observe(shell, { attributes: true, attributeFilter: ['aria-hidden'] });
    return () => observer.disconnect();
  }, [rootRef, controller]);
}
