// Repeater tabs (Burp-style edit-and-resend): one tab per request opened from the timeline (or
// from the fuzzer), its edited text, the recorded answer and the last live answer. Tabs persist
// across restarts in localStorage. `openRepeater` is the entry point other features call.

import { createStore } from 'zustand/vanilla';
import type { HostApi, JsonValue } from '../../../shared/host-api.js';

export interface RepeaterResponse {
  /** The answer's text as received, or why there was none. */
  text?: string;
  error?: string;
  latencyMs?: number;
  at: number;
}

export interface RepeaterTab {
  id: string;
  /** The session the request came from (its live connection is used, or one from its source). */
  sessionId: string;
  /** seq of the recorded request, when it came from the timeline. */
  seq?: number;
  method: string;
  /** The JSON-RPC message being edited. */
  text: string;
  /** The recorded answer's text (compared with the live one). */
  original?: string;
  response?: RepeaterResponse;
  sending?: boolean;
}

export interface OpenRepeaterArgs {
  sessionId: string;
  /** The request to start from: a JSON-RPC message (its id is replaced by a fresh one). */
  text: string;
  original?: string;
  seq?: number;
  /** Send at once (Resend) instead of waiting for an edit. */
  send?: boolean;
}

export interface RepeaterState {
  tabs: RepeaterTab[];
  activeTab?: string;
  /** Set when a tab should be sent right away (Resend); the panel sends it and clears this. */
  sendNow?: string;
  openRepeater(args: OpenRepeaterArgs): string;
  setText(id: string, text: string): void;
  setActive(id: string): void;
  closeTab(id: string): void;
  setSending(id: string, sending: boolean): void;
  setResponse(id: string, response: RepeaterResponse): void;
  clearSendNow(): void;
}

const KEY = 'mcpscope.repeater.v1';
const MAX_TABS = 50;
const MAX_SAVED_TEXT = 1_000_000;

let counter = 0;

/** The message with a fresh id, pretty-printed; text that is not a JSON object stays as it was. */
export function withFreshId(text: string, id: string): { text: string; method: string } {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { text, method: '(raw)' };
    const o = v as Record<string, unknown>;
    const copy: Record<string, unknown> = { ...o };
    if ('id' in o) copy.id = id;
    return {
      text: JSON.stringify(copy, null, 2),
      method: typeof o.method === 'string' ? o.method : '(raw)',
    };
  } catch {
    return { text, method: '(raw)' };
  }
}

type Saved = Pick<RepeaterState, 'tabs' | 'activeTab'>;

/** Tabs from saved JSON (localStorage or the engine); anything malformed is dropped. */
function fromSaved(v: unknown): Saved {
  if (typeof v !== 'object' || v === null) return { tabs: [] };
  const o = v as { tabs?: unknown; activeTab?: unknown };
  const tabs = Array.isArray(o.tabs)
    ? (o.tabs as RepeaterTab[]).filter(
        (t) =>
          typeof t?.id === 'string' &&
          typeof t.text === 'string' &&
          typeof t.sessionId === 'string',
      )
    : [];
  for (const t of tabs) delete t.sending;
  return typeof o.activeTab === 'string' ? { tabs, activeTab: o.activeTab } : { tabs };
}

function load(): Saved {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    return raw ? fromSaved(JSON.parse(raw)) : { tabs: [] };
  } catch {
    return { tabs: [] };
  }
}

/** What is saved: tabs small enough to keep, and the active one. */
function snapshot(s: RepeaterState): { tabs: RepeaterTab[]; activeTab?: string } {
  const tabs = s.tabs.filter(
    (t) =>
      t.text.length + (t.original?.length ?? 0) + (t.response?.text?.length ?? 0) < MAX_SAVED_TEXT,
  );
  return s.activeTab !== undefined ? { tabs, activeTab: s.activeTab } : { tabs };
}

function save(s: RepeaterState): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(snapshot(s)));
  } catch {
    // Storage full or unavailable: tabs live for this run only.
  }
}

/**
 * Keep the tabs in the engine's data directory as well: browser mode opens on a new origin (a
 * new port) every launch, so localStorage alone forgets them. Saved tabs are merged in once
 * loaded; every later change is saved (debounced). Returns a function that stops it.
 */
export function persistRepeaterTo(
  host: Pick<HostApi, 'getUiState' | 'setUiState'>,
  store: ReturnType<typeof createRepeaterStore> = repeaterStore,
  delayMs = 300,
): () => void {
  let ready = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    void host
      .setUiState({ key: 'repeater', value: snapshot(store.getState()) as unknown as JsonValue })
      .catch(() => undefined);
  };
  host.getUiState({ key: 'repeater' }).then(
    ({ value }) => {
      const saved = fromSaved(value);
      const cur = store.getState();
      const have = new Set(cur.tabs.map((t) => t.id));
      const merged = [...saved.tabs.filter((t) => !have.has(t.id)), ...cur.tabs].slice(-MAX_TABS);
      const activeTab = cur.activeTab ?? saved.activeTab;
      ready = true;
      store.setState(activeTab !== undefined ? { tabs: merged, activeTab } : { tabs: merged });
    },
    () => {
      ready = true;
    },
  );
  const unsubscribe = store.subscribe(() => {
    if (!ready) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, delayMs);
  });
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}

export function createRepeaterStore() {
  const store = createStore<RepeaterState>()((set, get) => ({
    ...load(),
    openRepeater(args) {
      const id = `r${Date.now().toString(36)}${(counter++).toString(36)}`;
      const { text, method } = withFreshId(args.text, `repeater-${id}`);
      const tab: RepeaterTab = { id, sessionId: args.sessionId, method, text };
      if (args.seq !== undefined) tab.seq = args.seq;
      if (args.original !== undefined) tab.original = args.original;
      set({
        tabs: [...get().tabs, tab].slice(-MAX_TABS),
        activeTab: id,
        ...(args.send ? { sendNow: id } : {}),
      });
      return id;
    },
    setText: (id, text) => set({ tabs: get().tabs.map((t) => (t.id === id ? { ...t, text } : t)) }),
    setActive: (id) => set({ activeTab: id }),
    closeTab(id) {
      const tabs = get().tabs.filter((t) => t.id !== id);
      set({
        tabs,
        activeTab: get().activeTab === id ? tabs[tabs.length - 1]?.id : get().activeTab,
      });
    },
    setSending: (id, sending) =>
      set({ tabs: get().tabs.map((t) => (t.id === id ? { ...t, sending } : t)) }),
    setResponse: (id, response) =>
      set({ tabs: get().tabs.map((t) => (t.id === id ? { ...t, response, sending: false } : t)) }),
    clearSendNow: () => set({ sendNow: undefined }),
  }));
  store.subscribe((s) => save(s));
  return store;
}

/** The app's one Repeater store. */
export const repeaterStore = createRepeaterStore();

/** Open a request in a Repeater tab (the timeline's Resend / Edit and resend; the fuzzer's "open in Repeater"). */
export function openRepeater(args: OpenRepeaterArgs): string {
  return repeaterStore.getState().openRepeater(args);
}
