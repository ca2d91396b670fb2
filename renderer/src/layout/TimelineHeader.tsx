// The timeline table's header: one cell per column, each but the last with an edge to drag
// (or to move with the arrow keys) that sets that column's width; a double click on the edge
// gives the column back its automatic size. Widths live in the layout store, which saves them.

import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { COLUMNS, RESIZABLE, type ColumnId } from './columns.js';
import { layoutStore } from './layout-store.js';

const KEY_STEP_PX = 8;

function ResizeHandle({ id, label }: { id: ColumnId; label: string }) {
  const drag = useRef<{ x: number; width: number; pointer: number } | undefined>(undefined);
  const cellWidth = (el: HTMLElement): number =>
    el.parentElement?.getBoundingClientRect().width ?? 0;
  const set = (px: number | undefined): void => layoutStore.getState().setColumn(id, px);

  const onPointerDown = (e: PointerEvent<HTMLSpanElement>): void => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    drag.current = { x: e.clientX, width: cellWidth(e.currentTarget), pointer: e.pointerId };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLSpanElement>): void => {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    set(d.width + e.clientX - d.x);
  };
  const end = (e: PointerEvent<HTMLSpanElement>): void => {
    if (drag.current?.pointer !== e.pointerId) return;
    drag.current = undefined;
    if (e.currentTarget.hasPointerCapture(e.pointerId))
      e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLSpanElement>): void => {
    const step = e.key === 'ArrowRight' ? KEY_STEP_PX : e.key === 'ArrowLeft' ? -KEY_STEP_PX : 0;
    if (step === 0) return;
    e.preventDefault();
    set(cellWidth(e.currentTarget) + step);
  };

  return (
    <span
      className="col-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label={`resize the ${label} column`}
      title="drag to resize; double-click for the automatic width"
      tabIndex={0}
      data-testid={`col-resize-${id}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      onDoubleClick={() => set(undefined)}
      onKeyDown={onKeyDown}
    />
  );
}

export function TimelineHeader() {
  return (
    <div className="timeline-head" role="row" data-testid="timeline-head">
      {COLUMNS.map((c) => (
        <span key={c.id} className={`c-${c.id}`} role="columnheader" data-col={c.id}>
          {c.label}
          {RESIZABLE.includes(c.id) && <ResizeHandle id={c.id} label={c.label} />}
        </span>
      ))}
    </div>
  );
}
