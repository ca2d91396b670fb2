// The timeline table's columns: their ids, default sizes, the widths a user dragged (kept with
// the layout in ui-state.json), and the one grid-template-columns string the header and every
// row share. Method and id size to the session's longest by default; a dragged width wins.

import { isObject } from '../../../shared/json.js';

export const COLUMNS = [
  { id: 'time', label: 'time' },
  { id: 'lane', label: 'dir' },
  { id: 'kind', label: 'kind' },
  { id: 'method', label: 'method' },
  { id: 'id', label: 'id' },
  { id: 'lat', label: 'latency' },
  { id: 'size', label: 'size' },
  { id: 'badges', label: 'flags' },
] as const;

export type ColumnId = (typeof COLUMNS)[number]['id'];
/** Column id → width in px, for the columns a user resized. */
export type ColumnWidths = Partial<Record<ColumnId, number>>;

/** The last column takes the rest of the row: it has no edge to drag. */
export const RESIZABLE: readonly ColumnId[] = COLUMNS.slice(0, -1).map((c) => c.id);
export const MIN_COLUMN_PX = 24;
export const MAX_COLUMN_PX = 1200;

export function clampWidth(px: number): number {
  return Math.round(Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, px)));
}

/** A saved value, checked: only known resizable columns with a finite width, clamped. */
export function columnsFromSaved(v: unknown): ColumnWidths {
  const out: ColumnWidths = {};
  if (!isObject(v)) return out;
  for (const id of RESIZABLE) {
    const n = v[id];
    if (typeof n === 'number' && Number.isFinite(n)) out[id] = clampWidth(n);
  }
  return out;
}

/** Automatic sizes (px) of the content-sized columns. */
export interface AutoWidths {
  method: number;
  id: number;
}

/** grid-template-columns for the header and the rows: dragged widths, else the defaults. */
export function gridTemplate(user: ColumnWidths, auto: AutoWidths): string {
  const fixed = (id: ColumnId, fallback: string): string =>
    user[id] !== undefined ? `${user[id]}px` : fallback;
  return [
    fixed('time', '92px'),
    fixed('lane', '34px'),
    fixed('kind', '96px'),
    fixed('method', `minmax(${auto.method}px, 3fr)`),
    fixed('id', `minmax(48px, ${auto.id}px)`),
    fixed('lat', '70px'),
    fixed('size', '70px'),
    'minmax(90px, 1fr)',
  ].join(' ');
}
