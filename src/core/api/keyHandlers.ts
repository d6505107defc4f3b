import type { Handlers, Services } from './services';

type KeyMethods = 'station.key';

/** The station's own key. Trusted keys of other stations come with migration 40. */
export function keyHandlers(s: Services): Pick<Handlers, KeyMethods> {
  return {
    'station.key': () => s.stationKey.info(),
  };
}
