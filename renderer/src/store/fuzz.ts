// The fuzz slice: the finding the user chose to resend. `resendFuzzFinding` opens the exact
// JSON-RPC line in a Repeater tab of the session (edit, send, compare) and also copies it to the
// clipboard and shows it read-only in the Fuzz tab (framing findings are not JSON: only those).

import type { StoreApi } from 'zustand';
import type { FuzzFinding } from '../../../shared/fuzz/types.js';
import { openRepeater } from '../repeater/store.js';
import type { AppState, StoreDeps } from './types.js';

function isJsonObjectText(line: string): boolean {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

export interface FuzzResend {
  /** The exact JSON-RPC line (minimised) to send again. */
  line: string;
  kind: FuzzFinding['kind'];
  target: string;
  copied: boolean;
}

export interface FuzzSlice {
  fuzzResend: FuzzResend | undefined;
  /** Resend a fuzz finding: opens its line in a Repeater tab (and copies it). */
  resendFuzzFinding(f: FuzzFinding): Promise<void>;
  clearFuzzResend(): void;
}

export function createFuzzSlice(
  set: StoreApi<AppState>['setState'],
  get: () => AppState,
  _deps: StoreDeps,
): FuzzSlice {
  return {
    fuzzResend: undefined,
    async resendFuzzFinding(f) {
      const resend: FuzzResend = {
        line: f.line,
        kind: f.kind,
        target: f.tool ?? f.method ?? '',
        copied: false,
      };
      set({ fuzzResend: resend });
      const sessionId = get().active;
      if (sessionId !== undefined && isJsonObjectText(f.line)) {
        openRepeater({ sessionId, text: f.line });
        get().setSidePanel('repeater');
      }
      try {
        await globalThis.navigator?.clipboard?.writeText(f.line);
        if (get().fuzzResend === resend) set({ fuzzResend: { ...resend, copied: true } });
      } catch {
        get().toast(
          'info',
          'Could not copy to the clipboard; select the line in the view instead.',
        );
      }
    },
    clearFuzzResend: () => set({ fuzzResend: undefined }),
  };
}
