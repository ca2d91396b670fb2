// The session layout (pane sizes, side by side, Table/Sequence) kept in the engine's data
// directory: a damaged saved value is checked, not trusted; a restart gives the layout back.
import { describe, expect, it } from 'vitest';
import {
  createLayoutStore,
  layoutFromSaved,
  persistLayoutTo,
} from '../../renderer/src/layout/layout-store.js';
import {
  columnsFromSaved,
  gridTemplate,
  MAX_COLUMN_PX,
  MIN_COLUMN_PX,
} from '../../renderer/src/layout/columns.js';
import { enginesPerTest, until } from '../helpers/engine.js';
import { scratchDir } from '../helpers/paths.js';

const engine = enginesPerTest();

describe('saved layout', () => {
  it('keeps only well-formed sizes and known values', () => {
    expect(layoutFromSaved(null)).toBeUndefined();
    expect(layoutFromSaved([1, 2])).toBeUndefined();
    expect(
      layoutFromSaved({
        groups: {
          'session-split': { main: 60, side: 40, bad: 'x', neg: -1, big: 1e9 },
          junk: 5,
          empty: { a: 'b' },
        },
        split: 'yes',
        view: 'pie-chart',
      }),
    ).toEqual({
      groups: { 'session-split': { main: 60, side: 40 } },
      split: false,
      view: 'table',
      columns: {},
    });
    expect(layoutFromSaved({ split: true, view: 'sequence' })).toEqual({
      groups: {},
      split: true,
      view: 'sequence',
      columns: {},
    });
  });

  it('keeps dragged column widths of known resizable columns, clamped', () => {
    expect(
      layoutFromSaved({
        columns: {
          time: 150.4,
          method: 99999,
          id: -3,
          badges: 200,
          nope: 80,
          lat: 'wide',
          kind: NaN,
        },
      })?.columns,
    ).toEqual({ time: 150, method: MAX_COLUMN_PX, id: MIN_COLUMN_PX });
    expect(columnsFromSaved('x')).toEqual({});
    const store = createLayoutStore();
    store.getState().setColumn('size', 5);
    store.getState().setColumn('lat', 130);
    expect(store.getState().columns).toEqual({ size: MIN_COLUMN_PX, lat: 130 });
    store.getState().setColumn('lat', undefined);
    expect(store.getState().columns).toEqual({ size: MIN_COLUMN_PX });
  });

  it('builds one grid template: dragged widths win, method and id size to the content', () => {
    const auto = { method: 200, id: 60 };
    expect(gridTemplate({}, auto)).toBe(
      '92px 34px 96px minmax(200px, 3fr) minmax(48px, 60px) 70px 70px minmax(90px, 1fr)',
    );
    expect(gridTemplate({ time: 150, method: 300 }, auto)).toBe(
      '150px 34px 96px 300px minmax(48px, 60px) 70px 70px minmax(90px, 1fr)',
    );
  });

  it('survives a restart of the engine (same data dir)', async () => {
    const dir = scratchDir('mcpscope-layout-');
    const first = createLayoutStore();
    const e = engine(dir);
    const stop = persistLayoutTo(e.commands, first, 5);
    await until(() => first.getState().loaded);
    first.getState().setGroup('session-split', { main: 35, side: 65 });
    first.getState().setSplit(true);
    first.getState().setView('sequence');
    first.getState().setColumn('method', 240);
    await expect
      .poll(
        async () =>
          ((await e.commands.getUiState({ key: 'layout' })).value as { view?: string } | null)
            ?.view,
        { timeout: 3000 },
      )
      .toBe('sequence');
    stop();

    const second = createLayoutStore();
    persistLayoutTo(engine(dir).commands, second, 5);
    await until(() => second.getState().loaded);
    expect(second.getState().groups).toEqual({ 'session-split': { main: 35, side: 65 } });
    expect(second.getState().split).toBe(true);
    expect(second.getState().columns).toEqual({ method: 240 });
    expect(second.getState().view).toBe('sequence');
  });

  it('without an engine the layout works for this run', () => {
    const s = createLayoutStore();
    persistLayoutTo(null, s);
    expect(s.getState().loaded).toBe(true);
    s.getState().setView('sequence');
    expect(s.getState().view).toBe('sequence');
  });
});
