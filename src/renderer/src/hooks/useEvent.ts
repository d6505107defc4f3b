import { useEffect, useRef } from 'react';
import type { EventName, EventPayload } from '../../../shared/contract';
import { useClient } from '../station/StationContext';

/** Subscribes to an engine event for the component's lifetime; the latest listener is always used. */
export function useStationEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): void {
  const client = useClient();
  const listenerRef = useRef(listener);
  useEffect(() => {
    listenerRef.current = listener;
  });
  useEffect(() => client.on(event, (payload) => listenerRef.current(payload)), [client, event]);
}
