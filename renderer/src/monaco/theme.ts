// Monaco's theme follows the app's: `data-theme` on <html> (the switch in AppChrome) when set,
// else the system's color scheme. Monaco's theme is global, so every editor follows together.

import { useSyncExternalStore } from 'react';

export type MonacoTheme = 'vs' | 'vs-dark';

const LIGHT_QUERY = '(prefers-color-scheme: light)';

/** The theme for the page as it is now. */
export function currentMonacoTheme(): MonacoTheme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light') return 'vs';
  if (chosen === 'dark') return 'vs-dark';
  return window.matchMedia?.(LIGHT_QUERY).matches ? 'vs' : 'vs-dark';
}

function subscribe(onChange: () => void): () => void {
  const attr = new MutationObserver(onChange);
  attr.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const media = window.matchMedia?.(LIGHT_QUERY);
  media?.addEventListener('change', onChange);
  return () => {
    attr.disconnect();
    media?.removeEventListener('change', onChange);
  };
}

/** Re-renders when the switch or the system scheme changes. */
export function useMonacoTheme(): MonacoTheme {
  return useSyncExternalStore(subscribe, currentMonacoTheme, () => 'vs-dark');
}
