import type { Locale } from '../../../../shared/schemas';

/** In and out points in media seconds; the out point is exclusive (the frame at it is not included). */
export interface InOut {
  inSec: number | null;
  outSec: number | null;
}

export const NO_RANGE: InOut = { inSec: null, outSec: null };

export function hasRange(range: InOut): range is { inSec: number; outSec: number } {
  return range.inSec !== null && range.outSec !== null && range.outSec > range.inSec;
}

/** What the visible part of the timeline is, in the content's pixels. */
export interface TimelineView {
  pxPerSec: number;
  /** Left and right edge of what is rendered (the viewport plus some overscan). */
  fromPx: number;
  toPx: number;
  contentWidthPx: number;
}

/** A violation type's or tag's name in the language shown; both names are kept with every tag. */
export function nameIn(locale: Locale, names: { nameZh: string; nameEn: string }): string {
  return locale === 'zh-CN' ? names.nameZh : names.nameEn;
}

/** A stable colour per violation code, so the same violation looks the same on every recording. */
export function hueOf(code: string): number {
  let hash = 0;
  for (let i = 0; i < code.length; i++) hash = (hash * 31 + code.charCodeAt(i)) >>> 0;
  return hash % 360;
}
