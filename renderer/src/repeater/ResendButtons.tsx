// "Resend" and "Edit and resend" on a request in the message detail: open it in a Repeater tab
// (sent at once for Resend) and show the Repeater panel.

import { useAppStore } from '../store/hooks.js';
import { openRepeater } from './store.js';

export function ResendButtons({
  sessionId,
  seq,
  text,
  original,
}: {
  sessionId: string;
  seq: number;
  text: string;
  original: string | undefined;
}) {
  const store = useAppStore();
  const open = (send: boolean): void => {
    openRepeater({ sessionId, seq, text, send, ...(original !== undefined ? { original } : {}) });
    store.getState().setSidePanel('repeater');
  };
  return (
    <>
      <button type="button" data-testid="detail-resend" onClick={() => open(true)}>
        Resend
      </button>
      <button type="button" data-testid="detail-edit-resend" onClick={() => open(false)}>
        Edit and resend
      </button>
    </>
  );
}
