import { createContext, useContext, type ReactNode } from 'react';
import type { Route } from './route';

interface Navigation {
  route: Route;
  navigate(next: Route): void;
}

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ route, navigate, children }: Navigation & { children: ReactNode }) {
  return <NavigationContext.Provider value={{ route, navigate }}>{children}</NavigationContext.Provider>;
}

/** The current view and the way to another (library, a recording, the cases, a case, the taxonomy). */
export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside NavigationProvider');
  return value;
}
