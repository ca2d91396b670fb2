// Part of the host API (see host-api.ts): small pieces of UI state the app keeps in the engine's
// data directory rather than in the browser, so they survive restarts in browser mode too (where
// every launch is a new origin and localStorage starts empty). Named keys only.

import type { JsonValue } from './host-api.js';

/** `repeater`: Repeater tabs; `layout`: pane sizes, split side panels, table/sequence view. */
export const UI_STATE_KEYS = ['repeater', 'layout'] as const;
export type UiStateKey = (typeof UI_STATE_KEYS)[number];

export interface UiStateCommands {
  getUiState: { args: { key: UiStateKey }; result: { value: JsonValue | null } };
  setUiState: { args: { key: UiStateKey; value: JsonValue }; result: { saved: boolean } };
}

export const UI_STATE_COMMAND_FLAGS: Record<keyof UiStateCommands, true> = {
  getUiState: true,
  setUiState: true,
};
