// Small pieces of the shell: the light/dark theme switch (system preference by default) and the
// keyboard shortcuts overlay (`?`).

import { useEffect, useState } from 'react';
import { Modal } from '../components/Modal.js';
import { isTyping } from '../components/keys.js';

type Theme = 'system' | 'light' | 'dark';
const THEME_KEY = 'mcpscope-theme';

function applyTheme(t: Theme): void {
  if (t === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  });
  useEffect(() => {
    applyTheme(theme);
    localStorage.setItem(THEME_KEY, theme);
  }, [theme]);
  const next: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
  return (
    <button
      type="button"
      className="theme-toggle"
      data-testid="theme-toggle"
      data-theme={theme}
      title="theme: follows the system, light or dark"
      onClick={() => setTheme(next[theme])}
    >
      {theme === 'system' ? '◐ auto' : theme === 'light' ? '☀ light' : '☾ dark'}
    </button>
  );
}

export const SHORTCUTS: [string, string][] = [
  ['j / k', 'next / previous frame in the timeline'],
  ['/', 'focus the filter'],
  ['v', 'switch the timeline between Table and Sequence'],
  ['+ / − / 0', 'sequence view: zoom in, zoom out, whole session (or the mouse wheel)'],
  ['← / →', 'sequence view: move back / forward in time (or Shift+wheel)'],
  ['p', 'jump to the request / response partner'],
  ['Enter', 'show the selected frame in the detail panel'],
  [
    'Esc',
    'leave the filter; close a dialog (an elicitation is cancelled, other server requests declined)',
  ],
  ['Tab / Shift+Tab', 'move within an open dialog'],
  ['?', 'this list'],
];

export function ShortcutsOverlay() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === '?' && !isTyping(e.target) && !document.querySelector('[aria-modal=true]')) {
        e.preventDefault();
        setOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  if (!open) return null;
  return (
    <Modal onClose={() => setOpen(false)} testId="shortcuts" label="Keyboard shortcuts">
      <h3>Keyboard shortcuts</h3>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setOpen(false)}>
        Close
      </button>
    </Modal>
  );
}
