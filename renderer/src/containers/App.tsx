// The shell: navigation, the current screen, toasts, the server-request dialog, and the
// app-ready signal tests wait on (data-app-ready on <html>, set after the first render).

import { hostStartup } from '../host/wire.js';
import { useEffect } from 'react';
import { toDisplay } from '../components/SafeText.js';
import { ServerRequestDialog } from '../interact/ServerRequestDialog.js';
import { useApp, useAppStore, useHost } from '../store/hooks.js';
import type { Screen } from '../store/types.js';
import { ShortcutsOverlay, ThemeToggle } from './AppChrome.js';
import { ConnectScreen } from './ConnectScreen.js';
import { HostsScreen } from './HostsScreen.js';
import { LibraryScreen } from './LibraryScreen.js';
import { SessionScreen } from './SessionScreen.js';
import { Toasts } from './Toasts.js';
import { OAuthPrompt } from '../oauth/OAuthPrompt.js';

const SCREENS: { id: Screen; label: string }[] = [
  { id: 'library', label: 'Library' },
  { id: 'connect', label: 'Connect' },
  { id: 'session', label: 'Session' },
  { id: 'hosts', label: 'Hosts' },
];

export function App() {
  const store = useAppStore();
  const host = useHost();
  const screen = useApp((s) => s.screen);
  const active = useApp((s) => s.active);
  const title = useApp((s) => s.sessions.find((r) => r.id === s.active)?.title);

  useEffect(() => {
    // Without an engine the library comes from IndexedDB alone (with one, wireHost loads it and
    // opens the start-up session; ready waits for that).
    const ready = host ? hostStartup : store.getState().refreshLibrary();
    void ready.finally(() => {
      document.documentElement.dataset.appReady = 'true';
    });
  }, [host, store]);

  return (
    <div className="app">
      <header className="topbar">
        <span className="logo">mcpscope</span>
        <nav>
          {SCREENS.map((s) => (
            <button
              key={s.id}
              type="button"
              className={s.id === screen ? 'on' : ''}
              data-testid={`nav-${s.id}`}
              disabled={s.id === 'session' && active === undefined}
              onClick={() => store.getState().setScreen(s.id)}
            >
              {s.label}
            </button>
          ))}
        </nav>
        <span className="dim session-title" data-testid="session-title">
          {title ? `· ${toDisplay(title, 80)}` : ''}
        </span>
        <ThemeToggle />
        <span className="mode dim" data-testid="host-mode">
          {host ? 'engine connected' : 'captures only (no engine)'}
        </span>
      </header>
      {screen === 'library' && <LibraryScreen />}
      {screen === 'connect' && <ConnectScreen />}
      {screen === 'session' && <SessionScreen />}
      {screen === 'hosts' && <HostsScreen />}
      <ServerRequestDialog />
      {screen !== 'connect' && <OAuthPrompt />}
      <Toasts />
      <ShortcutsOverlay />
    </div>
  );
}
