import { useI18n } from '../../i18n';
import { useStation } from '../../station/StationContext';
import { Icon } from '../common/Icon';

/**
 * The status bar's media-tools warning: shown while the engine runs on the npm fallback pair or a
 * mismatched one (the station log says the same at start), hidden for a current matched pair.
 */
export function MediaToolsStatusBar() {
  const { t } = useI18n();
  const { status } = useStation();
  const { warning, ffmpegVersion, ffprobeVersion } = status.mediaTools;
  if (warning === null) return null;
  return (
    <footer className="status-bar" aria-label={t('mediaTools.label')} data-testid="media-tools-warning">
      <span className="mark mark-warn" role="status">
        <Icon name="warning" size={12} />
        {t(`mediaTools.${warning}`, { ffmpeg: ffmpegVersion, ffprobe: ffprobeVersion })}
      </span>
    </footer>
  );
}
