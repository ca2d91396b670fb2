// The fuzz slice: the finding the user chose to resend. Until the Repeater (replay) lands,
// `resendFuzzFinding` copies the exact JSON-RPC line to the clipboard and the Fuzz tab shows it
// in a read-only Monaco view; the Repeater takes `resend.line` from here.

import type { StoreApi } from 'zustand';
import type { FuzzFinding } from '../../../shared/fuzz/types.js';
import type { AppState, StoreDeps } from './types.js';

export interface FuzzResend {
  /** The exact JSON-RPC line (minimised) to send again. */
  line: string;
  kind: FuzzFinding['kind'];
  target: string;
  copied: boolean;
}

export interface FuzzSlice {
  fuzzResend: FuzzResend | undefined;
  /** Resend a fuzz finding: hands its line to the Repeater (today: clipboard + read-only view). */
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
