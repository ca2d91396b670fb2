// The side of the session screen: tabs for detail / capabilities / findings / interact /
// repeater, or — side by side (the ⇆ button, remembered) — the detail on the left and the other
// tabs on the right, so a frame can be read while calling tools.

import { CapabilitiesPanel } from '../containers/CapabilitiesPanel.js';
import { DetailPanel } from '../containers/DetailPanel.js';
import { FindingsPanel } from '../containers/FindingsPanel.js';
import { InteractPanel } from '../interact/InteractPanel.js';
import { RepeaterPanel } from '../repeater/RepeaterPanel.js';
import { useApp, useAppStore } from '../store/hooks.js';
import type { SidePanel } from '../store/types.js';
import { useLayout } from './hooks.js';
import { layoutStore } from './layout-store.js';
import { Panes } from './Panes.js';

const PANELS: SidePanel[] = ['detail', 'capabilities', 'findings', 'interact', 'repeater'];

function PanelBody({ panel }: { panel: SidePanel }) {
  switch (panel) {
    case 'detail':
      return <DetailPanel />;
    case 'capabilities':
      return <CapabilitiesPanel />;
    case 'findings':
      return <FindingsPanel />;
    case 'interact':
      return <InteractPanel />;
    case 'repeater':
      return <RepeaterPanel />;
  }
}

function Tabs({ panels, current }: { panels: SidePanel[]; current: SidePanel }) {
  const store = useAppStore();
  const bottom = useApp((s) => s.bottomPanel);
  const split = useLayout((s) => s.split);
  return (
    <nav className="tabs">
      {panels.map((p) => (
        <button
          key={p}
          type="button"
          className={p === current ? 'on' : ''}
          data-testid={`panel-${p}`}
          onClick={() => store.getState().setSidePanel(p)}
        >
          {p}
        </button>
      ))}
      <button
        type="button"
        onClick={() => store.getState().setBottomPanel(bottom === 'stderr' ? 'none' : 'stderr')}
      >
        {bottom === 'stderr' ? 'hide stderr' : 'stderr'}
      </button>
      <button
        type="button"
        className={`split-toggle${split ? ' on' : ''}`}
        data-testid="split-toggle"
        aria-pressed={split}
        title={
          split ? 'detail back into the tabs' : 'side by side: the detail beside the other panels'
        }
        onClick={() => layoutStore.getState().setSplit(!split)}
      >
        ⇆ split
      </button>
    </nav>
  );
}

export function SidePanels() {
  const panel = useApp((s) => s.sidePanel);
  const split = useLayout((s) => s.split);
  if (!split)
    return (
      <aside className="side" data-testid="side">
        <Tabs panels={PANELS} current={panel} />
        <PanelBody panel={panel} />
      </aside>
    );
  const others = PANELS.filter((p) => p !== 'detail');
  const right = panel === 'detail' ? 'interact' : panel;
  return (
    <Panes
      id="side-split"
      panes={[
        {
          id: 'detail',
          defaultSize: 50,
          minPx: 220,
          children: (
            <aside className="side" data-testid="side-detail">
              <DetailPanel />
            </aside>
          ),
        },
        {
          id: 'tool',
          defaultSize: 50,
          minPx: 260,
          children: (
            <aside className="side" data-testid="side">
              <Tabs panels={others} current={right} />
              <PanelBody panel={right} />
            </aside>
          ),
        },
      ]}
    />
  );
}
