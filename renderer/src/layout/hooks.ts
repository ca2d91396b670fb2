// React access to the layout store (layout-store.ts).

import { useStore } from 'zustand';
import { layoutStore, type LayoutState } from './layout-store.js';

export function useLayout<T>(selector: (s: LayoutState) => T): T {
  return useStore(layoutStore, selector);
}
