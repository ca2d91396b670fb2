// React access to the one store: narrow selectors, useShallow for derived objects/arrays.

import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { HostApi } from '../../../shared/host-api.js';
import type { AppState, AppStore } from './index.js';

export const StoreContext = createContext<AppStore | null>(null);
export const HostContext = createContext<HostApi | null>(null);

export function useAppStore(): AppStore {
  const s = useContext(StoreContext);
  if (!s) throw new Error('useApp outside <StoreContext.Provider>');
  return s;
}

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

/** The HostApi, or null when the UI runs without an engine (captures only). */
export function useHost(): HostApi | null {
  return useContext(HostContext);
}
