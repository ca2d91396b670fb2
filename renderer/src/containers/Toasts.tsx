// Toasts: a message raised while a session is shown belongs to that session (it is not carried
// into another one), and every toast goes away by itself — errors after longer than news.

import { useEffect } from 'react';
import { toDisplay } from '../components/SafeText.js';
import { useApp, useAppStore } from '../store/hooks.js';
import type { Toast } from '../store/types.js';

export const TOAST_MS = { info: 6000, error: 15000 } as const;

function Item({ t }: { t: Toast }) {
  const store = useAppStore();
  useEffect(() => {
    const timer = setTimeout(() => store.getState().dismissToast(t.id), TOAST_MS[t.kind]);
    return () => clearTimeout(timer);
  }, [store, t.id, t.kind]);
  return (
    <div
      className={`toast ${t.kind}`}
      data-testid={`toast-${t.kind}`}
      role={t.kind === 'error' ? 'alert' : 'status'}
    >
      <span className="toast-text">{toDisplay(t.text, 2000, true)}</span>
      <button
        type="button"
        onClick={() => store.getState().dismissToast(t.id)}
        aria-label="dismiss"
      >
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const screen = useApp((s) => s.screen);
  const active = useApp((s) => s.active);
  const shown = toasts.filter(
    (t) => t.sessionId === undefined || (screen === 'session' && t.sessionId === active),
  );
  return (
    <div className="toasts" aria-live="polite">
      {shown.map((t) => (
        <Item key={t.id} t={t} />
      ))}
    </div>
  );
}
