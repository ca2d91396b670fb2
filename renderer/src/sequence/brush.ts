// Dragging across the overview or the chart to pick a time range: one pointer handler set for
// both. `drag` (px from the SVG's left edge) lasts while the button is down; on release `onEnd`
// gets where it started and ended and decides (a short drag is a click).

import { useRef, useState, type PointerEvent } from 'react';

export interface Drag {
  x0: number;
  x1: number;
}

export function useBrush(
  onEnd: (x0: number, x1: number) => void,
  /** A press on these targets is theirs (e.g. a clickable message), not the start of a drag. */
  skip?: (target: Element) => boolean,
) {
  const ref = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<Drag | undefined>();
  const localX = (e: PointerEvent) => e.clientX - (ref.current?.getBoundingClientRect().left ?? 0);
  const handlers = {
    onPointerDown: (e: PointerEvent<SVGSVGElement>) => {
      if (skip?.(e.target as Element)) return;
      e.currentTarget.setPointerCapture(e.pointerId);
      const px = localX(e);
      setDrag({ x0: px, x1: px });
    },
    onPointerMove: (e: PointerEvent<SVGSVGElement>) => {
      if (drag) setDrag({ ...drag, x1: localX(e) });
    },
    onPointerUp: (e: PointerEvent<SVGSVGElement>) => {
      if (!drag) return;
      const x1 = localX(e);
      setDrag(undefined);
      onEnd(drag.x0, x1);
    },
  };
  return { ref, drag, handlers };
}
