import type { Gps } from '../../../shared/schemas';

/**
 * Parses an ISO 6709 point as written by phones and cameras into MP4/QuickTime tags
 * (`location`, `com.apple.quicktime.location.ISO6709`): `±DD.D±DDD.D[±alt][CRS…]/`. The integer
 * part's width selects the form: degrees (DD / DDD), degrees+minutes (DDMM / DDDMM) or
 * degrees+minutes+seconds (DDMMSS / DDDMMSS). Returns null for anything else or out-of-range values.
 */
export function parseIso6709(text: string): Gps | null {
  const match = /^\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?(?:CRS[^/]*)?\/?\s*$/.exec(text);
  if (!match?.[1] || !match[2]) return null;
  const lat = readAngle(match[1], 2);
  const lon = readAngle(match[2], 3);
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  const gps: Gps = { lat, lon };
  if (match[3]) gps.alt = Number(match[3]);
  return gps;
}

function readAngle(signed: string, degreeDigits: number): number | null {
  const sign = signed.startsWith('-') ? -1 : 1;
  const [whole = '', fraction = ''] = signed.slice(1).split('.');
  const frac = fraction ? Number(`0.${fraction}`) : 0;
  let value: number;
  if (whole.length === degreeDigits) {
    value = Number(whole) + frac;
  } else if (whole.length === degreeDigits + 2) {
    const minutes = Number(whole.slice(degreeDigits)) + frac;
    if (minutes >= 60) return null;
    value = Number(whole.slice(0, degreeDigits)) + minutes / 60;
  } else if (whole.length === degreeDigits + 4) {
    const minutes = Number(whole.slice(degreeDigits, degreeDigits + 2));
    const seconds = Number(whole.slice(degreeDigits + 2)) + frac;
    if (minutes >= 60 || seconds >= 60) return null;
    value = Number(whole.slice(0, degreeDigits)) + minutes / 60 + seconds / 3600;
  } else {
    return null;
  }
  return sign * value;
}
