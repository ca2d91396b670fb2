// A server list (tools, resources, templates, prompts) loaded for Interact, with reload.

import { useEffect, useState } from 'react';

export function useList<T>(
  load: () => Promise<T[]>,
  deps: unknown[],
): { items: T[]; error?: string; reload: () => void } {
  const [items, setItems] = useState<T[]>([]);
  const [error, setError] = useState<string>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (x) => live && setItems(x),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { items, error, reload: () => setN((x) => x + 1) };
}
