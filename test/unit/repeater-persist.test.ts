// Repeater tabs kept in the engine's data directory: a second engine on the same data dir (a
// restart) gives them back, so browser mode, whose origin changes every launch, keeps them too.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRepeaterStore, persistRepeaterTo } from '../../renderer/src/repeater/store.js';
import { enginesPerTest, until } from '../helpers/engine.js';
import { scratchDir } from '../helpers/paths.js';

const engine = enginesPerTest();

describe('Repeater tabs in the data directory', () => {
  it('survive a restart of the engine, and the file is private', async () => {
    const dir = scratchDir('mcpscope-repeater-');
    const first = createRepeaterStore();
    // The saved tabs are merged in with one store update: that update is the end marker of loading.
    const loaded = new Promise<void>((resolve) => {
      const off = first.subscribe(() => {
        off();
        resolve();
      });
    });
    const stop = persistRepeaterTo(engine(dir).commands, first, 5);
    await loaded;
    first.getState().openRepeater({
      sessionId: 's1',
      text: '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}',
    });
    // Saved (debounced): wait until the file holds the tab, not for a fixed time.
    const file = `${dir}/ui-state.json`;
    await until(() => existsSync(file) && readFileSync(file, 'utf8').includes('"sessionId":"s1"'));
    stop();
    expect(statSync(`${dir}/ui-state.json`).mode & 0o777).toBe(0o600);

    // A new engine and a new (empty) store: the tab comes back.
    const second = createRepeaterStore();
    second.setState({ tabs: [], activeTab: undefined });
    persistRepeaterTo(engine(dir).commands, second, 5);
    await until(() => second.getState().tabs.length === 1);
    expect(second.getState().tabs[0]).toMatchObject({ sessionId: 's1', method: 'tools/call' });
    expect(JSON.parse(second.getState().tabs[0]!.text)).toMatchObject({
      params: { arguments: { message: 'hi' } },
    });
  });

  it('refuses keys it does not know', async () => {
    const e = engine(scratchDir('mcpscope-repeater-'));
    await expect(e.commands.setUiState({ key: 'theme' as 'repeater', value: 1 })).rejects.toThrow(
      /key/,
    );
  });
});
