// Interact's engine side through the host API against the real server-everything (stdio):
// task-augmented tools/call with tasks/get, tasks/result, tasks/list and tasks/cancel; progress of
// an operation delivered as onProgress for its opId; completion/complete for a resource template;
// URL-mode elicitation reaching the UI as a server request (the client declares elicitation.url).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppEngine } from '../../electron/engine/app/engine.js';
import type {
  ConnectionInfo,
  EventName,
  HostEvents,
  ProgressEvent,
  ServerRequest,
} from '../../shared/host-api.js';
import { EVERYTHING, scratchDir } from '../helpers/paths.js';

const TERMINAL = ['completed', 'failed', 'cancelled'];

describe('host API: tasks, progress, completions, URL elicitation', () => {
  const engine = new AppEngine({
    mode: 'browser',
    dataDir: scratchDir('mcpscope-interact-app-'),
    liveFeed: false,
    scan: false,
  });
  const events: { name: EventName; payload: HostEvents[EventName] }[] = [];
  engine.subscribe((name, payload) => events.push({ name, payload }));
  let conn: ConnectionInfo;
  const api = engine.commands;

  beforeAll(async () => {
    conn = await api.connect({
      transport: 'stdio',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    });
  }, 60_000);
  afterAll(() => engine.dispose());

  it('runs a tool as a task: created at once, polled to completed, result from tasks/result', async () => {
    expect(conn.handshake?.serverCapabilities?.tasks).toBeDefined();
    const { task } = await api.callToolTask({
      connectionId: conn.id,
      name: 'simulate-research-query',
      arguments: { topic: 'wind' },
      ttlMs: 60_000,
    });
    expect(task.taskId).toEqual(expect.any(String));
    expect(task.status).toBe('working');
    let status = task.status;
    for (let i = 0; i < 100 && !TERMINAL.includes(status); i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await api.getTask({ connectionId: conn.id, taskId: task.taskId })).task.status;
    }
    expect(status).toBe('completed');
    const { result } = await api.getTaskResult({ connectionId: conn.id, taskId: task.taskId });
    expect(JSON.stringify(result.content)).toContain('wind');
    const { tasks } = await api.listTasks({ connectionId: conn.id });
    expect(tasks.map((t) => t.taskId)).toContain(task.taskId);
  }, 60_000);

  it('cancels a task with tasks/cancel', async () => {
    const { task } = await api.callToolTask({
      connectionId: conn.id,
      name: 'simulate-research-query',
      arguments: { topic: 'tides' },
    });
    const cancelled = await api.cancelTask({ connectionId: conn.id, taskId: task.taskId });
    expect(cancelled.task.status).toBe('cancelled');
    expect((await api.getTask({ connectionId: conn.id, taskId: task.taskId })).task.status).toBe(
      'cancelled',
    );
  });

  it('says what is wrong with a task command argument or an unknown task', async () => {
    await expect(api.callToolTask({ connectionId: conn.id, name: 'x', ttlMs: -5 })).rejects.toThrow(
      /callToolTask: "ttlMs"/,
    );
    await expect(api.getTask({ connectionId: conn.id, taskId: 'no-such-task' })).rejects.toThrow(
      /no-such-task|not found/i,
    );
  });

  it('delivers notifications/progress as onProgress for the operation id', async () => {
    // Two UIs: one shows the connection's session, the other a different one.
    const seenBy = (sessionId: string) => {
      const seen: { name: EventName; payload: unknown }[] = [];
      const ui = engine.attach((name, payload) => seen.push({ name, payload }));
      return { ui, seen, ready: ui.commands.subscribeSessions({ sessionIds: [sessionId] }) };
    };
    const shows = seenBy(conn.sessionId);
    const elsewhere = seenBy('another-session');
    await Promise.all([shows.ready, elsewhere.ready]);
    const before = events.length;
    await api.callTool({
      connectionId: conn.id,
      name: 'trigger-long-running-operation',
      arguments: { duration: 1, steps: 4 },
      opId: 'op-progress-1',
      progress: true,
    });
    const progress = events
      .slice(before)
      .filter((e) => e.name === 'onProgress')
      .map((e) => e.payload as ProgressEvent);
    // The SDK handles a notification a microtask later than a response, so the last step (sent
    // just before the result) may land after the request is done and is then dropped; the steps
    // before it are 250 ms earlier and always arrive.
    expect(progress.slice(0, 3).map((p) => [p.opId, p.progress, p.total])).toEqual([
      ['op-progress-1', 1, 4],
      ['op-progress-1', 2, 4],
      ['op-progress-1', 3, 4],
    ]);
    expect(progress.length).toBeLessThanOrEqual(4);
    expect(progress.every((p) => p.connectionId === conn.id)).toBe(true);
    expect(progress.every((p) => p.sessionId === conn.sessionId)).toBe(true);
    // Routed per session: the UI showing it gets every step, the other UI none.
    const names = (seen: { name: EventName }[]) => seen.filter((e) => e.name === 'onProgress');
    expect(names(shows.seen)).toHaveLength(progress.length);
    expect(names(elsewhere.seen)).toHaveLength(0);
    shows.ui.detach();
    elsewhere.ui.detach();
  }, 30_000);

  it('completes a resource template variable (completion/complete, ref/resource)', async () => {
    const { result } = await api.complete({
      connectionId: conn.id,
      ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' },
      argument: { name: 'resourceId', value: '12' },
    });
    expect(result.completion).toMatchObject({ values: ['12'] });
  });

  it('remembers the resources subscribed to until unsubscribed', async () => {
    const uri = 'demo://resource/static/document/architecture.md';
    expect((await api.listSubscriptions({ connectionId: conn.id })).uris).toEqual([]);
    await api.subscribeResource({ connectionId: conn.id, uri });
    expect((await api.listSubscriptions({ connectionId: conn.id })).uris).toEqual([uri]);
    await api.unsubscribeResource({ connectionId: conn.id, uri });
    expect((await api.listSubscriptions({ connectionId: conn.id })).uris).toEqual([]);
  });

  it('raises a URL-mode elicitation to the UI (elicitation.url is declared)', async () => {
    const raised = new Promise<ServerRequest>((resolve) =>
      engine.subscribe((n, p) => n === 'onServerRequest' && resolve(p as ServerRequest)),
    );
    const call = api.callTool({
      connectionId: conn.id,
      name: 'trigger-url-elicitation',
      arguments: { url: 'https://example.com/sign-in' },
    });
    const req = await raised;
    expect(req.method).toBe('elicitation/create');
    expect(req.params).toMatchObject({ mode: 'url', url: 'https://example.com/sign-in' });
    await api.answerServerRequest({ id: req.id, result: { action: 'accept' } });
    expect(JSON.stringify((await call).result)).toContain('User completed the URL elicitation');
  }, 30_000);
});
