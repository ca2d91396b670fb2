// Toasts belong to the session shown when they were raised; elsewhere they are global.
import { beforeEach, describe, expect, it } from 'vitest';
import { sessionData } from '../../renderer/src/model/session-data.js';
import { file, makeSessionCapture, makeStore, type TestStore } from './renderer-fixtures.js';

let t: TestStore;
beforeEach(() => {
  sessionData.clear();
  t = makeStore();
});

describe('toasts', () => {
  it('are tagged with the session on screen, and not on other screens', async () => {
    const s = () => t.store.getState();
    s().toast('info', 'from the library');
    expect(s().toasts.at(-1)).not.toHaveProperty('sessionId');
    await s().importFiles([file('a.mcpscope.jsonl', makeSessionCapture().text())]);
    expect(s().screen).toBe('session');
    s().toast('error', 'about this session');
    expect(s().toasts.at(-1)).toMatchObject({ sessionId: s().active, text: 'about this session' });
    s().setScreen('connect');
    s().toast('info', 'from connect');
    expect(s().toasts.at(-1)).not.toHaveProperty('sessionId');
  });
});
