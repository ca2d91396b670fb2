// Resizable panes whose sizes are remembered (layout-store.ts, saved in the engine's data dir).
// A thin wrapper over react-resizable-panels: one Group per id, sizes saved only after the user
// drags a separator, and the group mounted again once the saved layout has been read.

import type { ReactNode } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { useLayout } from './hooks.js';
import { layoutStore } from './layout-store.js';

export interface PaneSpec {
  id: string;
  /** Percent of the group when nothing is saved. */
  defaultSize: number;
  /** Smallest size in pixels. */
  minPx: number;
  children: ReactNode;
  className?: string;
}

export function Panes({
  id,
  orientation = 'horizontal',
  panes,
}: {
  id: string;
  orientation?: 'horizontal' | 'vertical';
  panes: PaneSpec[];
}) {
  const loaded = useLayout((s) => s.loaded);
  const saved = useLayout((s) => s.groups[id]);
  const ids = panes.map((p) => p.id);
  // A saved layout applies only when it names exactly these panes.
  const fits = saved !== undefined && ids.every((p) => saved[p] !== undefined);
  const out: ReactNode[] = [];
  panes.forEach((p, i) => {
    if (i > 0)
      out.push(
        <Separator
          key={`sep-${p.id}`}
          className={`pane-sep ${orientation}`}
          data-testid={`sep-${id}-${i}`}
        />,
      );
    out.push(
      <Panel
        key={p.id}
        id={p.id}
        defaultSize={`${p.defaultSize}%`}
        minSize={p.minPx}
        className={`pane ${p.className ?? ''}`}
        data-testid={`pane-${p.id}`}
      >
        {p.children}
      </Panel>,
    );
  });
  return (
    <Group
      key={`${id}:${loaded ? 'saved' : 'default'}:${ids.join(',')}`}
      id={id}
      data-testid={`panes-${id}`}
      className={`panes ${orientation}`}
      orientation={orientation}
      defaultLayout={fits ? saved : undefined}
      onLayoutChanged={(layout, meta) => {
        if (meta.isUserInteraction)
          layoutStore.getState().setGroup(id, meta.requestedLayout ?? layout);
      }}
    >
      {out}
    </Group>
  );
}
