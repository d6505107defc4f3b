import { createContext, useContext, type ReactNode } from 'react';
import type { MethodOutput, StationClient } from '../../../shared/contract';
import type { Session } from '../../../shared/schemas';

export type StationStatus = MethodOutput<'station.status'>;

export interface StationValue {
  /** The client every component uses: calls failing with auth.locked / auth.required switch screens. */
  client: StationClient;
  status: StationStatus;
  session: Session;
  lock(): Promise<void>;
  signOut(): Promise<void>;
}

const StationContext = createContext<StationValue | null>(null);

export function StationProvider({ value, children }: { value: StationValue; children: ReactNode }) {
  return <StationContext.Provider value={value}>{children}</StationContext.Provider>;
}

export function useStation(): StationValue {
  const value = useContext(StationContext);
  if (!value) throw new Error('useStation outside StationProvider');
  return value;
}

export function useClient(): StationClient {
  return useStation().client;
}
