// The session screen's layout: pane sizes (percent per pane id), whether the side shows two panels
// side by side (detail beside interact/findings/…), Table vs Sequence view, and the timeline
// table's dragged column widths (columns.ts). Kept in the
// engine's data directory (ui-state.json, key `layout`) so it survives a restart in browser mode,
// where every launch is a new origin and localStorage starts empty.

import { createStore } from 'zustand/vanilla';
import type { HostApi, JsonValue } from '../../../shared/host-api.js';
import { isObject } from '../../../shared/json.js';
import { clampWidth, columnsFromSaved, type ColumnId, type ColumnWidths } from './columns.js';

export type TimelineViewKind = 'table' | 'sequence';
/** Pane id → size in percent of its group (what react-resizable-panels calls a Layout). */
export type PaneSizes = Record<string, number>;

export interface LayoutState {
  /** Saved sizes per pane group id. */
  groups: Record<string, PaneSizes>;
  /** Detail shown beside the side panel tab instead of being one of its tabs. */
  split: boolean;
  view: TimelineViewKind;
  /** Timeline table columns the user resized (px); the others size themselves. */
  columns: ColumnWidths;
  /** True once the saved layout was read (or there was none); panes wait for it. */
  loaded: boolean;
  setGroup(id: string, sizes: PaneSizes): void;
  setSplit(split: boolean): void;
  setView(view: TimelineViewKind): void;
  /** A dragged width, or undefined to give the column back its automatic size. */
  setColumn(id: ColumnId, px: number | undefined): void;
}

const MAX_GROUPS = 16;
const MAX_PANES = 8;

/** The saved value, checked: it is read from a file a user may have edited or damaged. */
export function layoutFromSaved(
  v: unknown,
): Pick<LayoutState, 'groups' | 'split' | 'view' | 'columns'> | undefined {
  if (!isObject(v)) return undefined;
  const groups: Record<string, PaneSizes> = {};
  if (isObject(v.groups))
    for (const [id, sizes] of Object.entries(v.groups).slice(0, MAX_GROUPS)) {
      if (!isObject(sizes)) continue;
      const out: PaneSizes = {};
      for (const [pane, n] of Object.entries(sizes).slice(0, MAX_PANES))
        if (typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 100) out[pane] = n;
      if (Object.keys(out).length > 0) groups[id] = out;
    }
  return {
    groups,
    split: v.split === true,
    view: v.view === 'sequence' ? 'sequence' : 'table',
    columns: columnsFromSaved(v.columns),
  };
}

function snapshot(s: LayoutState): JsonValue {
  return { groups: s.groups, split: s.split, view: s.view, columns: s.columns };
}

export function createLayoutStore() {
  return createStore<LayoutState>()((set, get) => ({
    groups: {},
    split: false,
    view: 'table',
    columns: {},
    loaded: false,
    setGroup: (id, sizes) => set({ groups: { ...get().groups, [id]: { ...sizes } } }),
    setSplit: (split) => set({ split }),
    setView: (view) => set({ view }),
    setColumn: (id, px) => {
      const columns = { ...get().columns };
      if (px === undefined) delete columns[id];
      else columns[id] = clampWidth(px);
      set({ columns });
    },
  }));
}

export type LayoutStore = ReturnType<typeof createLayoutStore>;

/** The app's one layout store. */
export const layoutStore = createLayoutStore();

/**
 * Load the saved layout from the engine, then save every change (debounced). Without an engine
 * (captures only) the layout lives for this run. Returns a function that stops saving.
 */
export function persistLayoutTo(
  host: Pick<HostApi, 'getUiState' | 'setUiState'> | null,
  store: LayoutStore = layoutStore,
  delayMs = 250,
): () => void {
  if (!host) {
    store.setState({ loaded: true });
    return () => undefined;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    void host.setUiState({ key: 'layout', value: snapshot(store.getState()) }).catch(() => {
      // The data dir is not writable: the layout lives for this run only.
    });
  };
  host.getUiState({ key: 'layout' }).then(
    ({ value }) => store.setState({ ...(layoutFromSaved(value) ?? {}), loaded: true }),
    () => store.setState({ loaded: true }),
  );
  const unsubscribe = store.subscribe((s, prev) => {
    if (!s.loaded || !prev.loaded) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}
