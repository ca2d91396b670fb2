// Client mode against the real server-everything over stdio, Streamable HTTP and legacy SSE:
// every operation, server → client requests answered by the test, cancellation, subscriptions,
// raw sends, and a capture that verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { readCapture } from '../../shared/capture/index.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ConnectionManager,
  type Connection,
  type ClientEvents,
} from '../../electron/engine/client/index.js';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';
import {
  captureMessages,
  captureRecords,
  startEverything,
  waitEvent,
  waitFor,
  type Everything,
  type Mode,
} from './client-harness.js';

const MODES: Mode[] = ['stdio', 'streamableHttp', 'sse'];

describe.each(MODES)('client mode over %s against server-everything', (mode) => {
  let server: Everything;
  let manager: ConnectionManager;
  let conn: Connection;
  let capture: string;
  const on =
    <K extends keyof ClientEvents>(k: K) =>
    (cb: (e: ClientEvents[K]) => void) =>
      manager.on(k, cb);

  beforeAll(async () => {
    server = await startEverything(mode);
    capture = join(scratchDir(), `${mode}.mcpscope.jsonl`);
    manager = new ConnectionManager();
    // The test is the "UI": it answers server → client requests itself.
    manager.on('serverRequest', (r) => {
      if (r.method === 'sampling/createMessage') {
        manager.answer(r.connId, r.key, {
          role: 'assistant',
          model: 'test-model',
          content: {
            type: 'text',
            text: `sampled-by-test for ${JSON.stringify(r.params.maxTokens)}`,
          },
        });
      } else if (r.method === 'elicitation/create') {
        manager.answer(r.connId, r.key, { action: 'accept', content: { name: 'Ada Lovelace' } });
      } else if (r.method === 'roots/list') {
        manager.answer(r.connId, r.key, {
          roots: [{ uri: 'file:///tmp/test-root', name: 'test root' }],
        });
      }
    });
    const roots = waitFor(
      on('serverRequest'),
      (r) => r.method === 'roots/list',
      15_000,
      'roots/list',
    );
    conn = await manager.open(server.target, {
      name: `everything-${mode}`,
      capturePath: capture,
      protocolVersion: '2025-06-18',
      capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } },
      timeoutMs: 20_000,
    });
    // server-everything asks for roots 350 ms after initialized when roots are declared.
    await roots;
  });

  afterAll(async () => {
    await manager?.closeAll();
    await server?.stop();
  });

  it('negotiates the chosen protocol version with the declared capabilities, recorded from the wire', () => {
    expect(conn.status).toBe('open');
    const info = conn.info;
    expect(info.protocolVersion).toBe('2025-06-18');
    expect(info.serverInfo?.name).toBe('mcp-servers/everything');
    const init = captureMessages(capture).find(
      (m) => m.dir === 'c2s' && m.msg.method === 'initialize',
    );
    const params = init?.msg.params as {
      protocolVersion: string;
      capabilities: Record<string, unknown>;
    };
    expect(params.protocolVersion).toBe('2025-06-18');
    expect(Object.keys(params.capabilities).sort()).toEqual(['elicitation', 'roots', 'sampling']);
  });

  it('lists tools, resources, templates and prompts exactly as the plain SDK client does', async () => {
    const [tools, resources, templates, prompts] = [
      await conn.listTools(),
      await conn.listResources(),
      await conn.listResourceTemplates(),
      await conn.listPrompts(),
    ];
    // The conditional tools appear because sampling/elicitation/roots were declared.
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'echo',
        'trigger-sampling-request',
        'trigger-elicitation-request',
        'get-roots-list',
      ]),
    );
    const sdk = new Client(
      { name: 'plain-sdk', version: '1' },
      { capabilities: { sampling: {}, elicitation: {}, roots: {} } },
    );
    sdk.setRequestHandler(
      (await import('@modelcontextprotocol/sdk/types.js')).ListRootsRequestSchema,
      () => ({ roots: [] }),
    );
    const t = server.target;
    const transport =
      t.transport === 'stdio'
        ? new StdioClientTransport({ command: t.command, args: t.args ?? [], stderr: 'ignore' })
        : t.transport === 'sse'
          ? new SSEClientTransport(new URL(t.url))
          : new StreamableHTTPClientTransport(new URL(t.url));
    await sdk.connect(transport);
    try {
      expect((await sdk.listTools()).tools.map((x) => x.name).sort()).toEqual(
        tools.map((x) => x.name).sort(),
      );
      expect((await sdk.listResources()).resources).toEqual(resources);
      expect((await sdk.listResourceTemplates()).resourceTemplates).toEqual(templates);
      expect((await sdk.listPrompts()).prompts).toEqual(prompts);
    } finally {
      await sdk.close();
    }
  });

  it('refreshes the tools list when the server announces list_changed after initialize, with history', async () => {
    // server-everything registers its conditional tools after `initialized` and announces them.
    // Over Streamable HTTP that announcement has no stream to travel on until our GET stream is
    // open, so the server may drop it; then there is nothing to refresh.
    const tools = () => conn.snapshots().find((s) => s.kind === 'tools')!;
    const announced = () =>
      captureMessages(capture).some(
        (m) => m.dir === 's2c' && m.msg.method === 'notifications/tools/list_changed',
      );
    if (mode === 'streamableHttp' && !announced()) return;
    expect(announced()).toBe(true);
    if (!tools().items.some((t) => t.name === 'trigger-sampling-request')) {
      await waitEvent(
        manager,
        'listChanged',
        (e) => e.kind === 'tools' && e.items.some((t) => t.name === 'trigger-sampling-request'),
      );
    }
    expect(tools().history.length).toBeGreaterThanOrEqual(1);
    expect(tools().history.flatMap((h) => h.added)).toContain('trigger-elicitation-request');
  });

  it('calls a tool, reads a resource, gets a prompt, completes an argument, sets the level, pings', async () => {
    const echo = await conn.callTool('echo', { message: 'héllo\u0007' });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: héllo\u0007' }]);
    const read = await conn.readResource('demo://resource/static/document/features.md');
    expect((read.contents as { uri: string }[])[0]?.uri).toBe(
      'demo://resource/static/document/features.md',
    );
    const prompt = await conn.getPrompt('args-prompt', { city: 'Paris' });
    expect(JSON.stringify(prompt.messages)).toContain('Paris');
    const completion = await conn.complete(
      { type: 'ref/prompt', name: 'completable-prompt' },
      { name: 'department', value: 'Eng' },
    );
    expect((completion.completion as { values: string[] }).values).toContain('Engineering');
    await conn.setLevel('debug');
    // At level debug every simulated log message passes; the first is sent at once.
    const logged = waitEvent(
      manager,
      'notification',
      (n) =>
        n.method === 'notifications/message' &&
        /-level message|level-message/.test(String(n.params.data)),
    );
    await conn.callTool('toggle-simulated-logging', {});
    expect((await logged).params.level).toBeTypeOf('string');
    await conn.callTool('toggle-simulated-logging', {});
    expect(await conn.ping()).toBeGreaterThan(0);
    const sent = captureMessages(capture)
      .filter((m) => m.dir === 'c2s')
      .map((m) => m.msg.method);
    expect(sent).toEqual(
      expect.arrayContaining([
        'tools/call',
        'resources/read',
        'prompts/get',
        'completion/complete',
        'logging/setLevel',
        'ping',
      ]),
    );
  });

  it('answers a sampling request and an elicitation request raised as events', async () => {
    const seen: string[] = [];
    const off = manager.on('serverRequest', (r) => seen.push(r.method));
    const sampled = await conn.callTool('trigger-sampling-request', {
      prompt: 'say hi',
      maxTokens: 17,
    });
    expect(JSON.stringify(sampled.content)).toContain('sampled-by-test for 17');
    const elicited = await conn.callTool('trigger-elicitation-request', {});
    expect(JSON.stringify(elicited.content)).toContain('Ada Lovelace');
    off();
    expect(seen).toEqual(['sampling/createMessage', 'elicitation/create']);
    // The answers went out on the wire as responses to the server's requests.
    const out = captureMessages(capture).filter((m) => m.dir === 'c2s' && 'result' in m.msg);
    expect(JSON.stringify(out)).toContain('sampled-by-test for 17');
    expect(JSON.stringify(out)).toContain('Ada Lovelace');
  });

  it('answered roots/list and the server saw the roots', async () => {
    const r = await conn.callTool('get-roots-list', {});
    expect(JSON.stringify(r.content)).toContain('file:///tmp/test-root');
  });

  it('cancels an in-flight request after its first progress notification', async () => {
    let progressed!: () => void;
    const firstProgress = new Promise<void>((r) => (progressed = r));
    const call = conn.callTool(
      'trigger-long-running-operation',
      { duration: 30, steps: 30 },
      { opId: 'long', onProgress: () => progressed() },
    );
    await firstProgress;
    expect(conn.cancel('long', 'test cancels')).toBe(true);
    await expect(call).rejects.toThrow(/test cancels/);
    const cancelled = captureMessages(capture).find(
      (m) => m.dir === 'c2s' && m.msg.method === 'notifications/cancelled',
    );
    expect((cancelled?.msg.params as { reason: string }).reason).toBe('test cancels');
    expect(conn.cancel('long')).toBe(false);
    // The connection is still usable.
    expect((await conn.callTool('echo', { message: 'after' })).content).toEqual([
      { type: 'text', text: 'Echo: after' },
    ]);
  });

  it('subscribes to a resource and receives its update notification, then unsubscribes', async () => {
    const uri = 'demo://resource/static/document/architecture.md';
    await conn.subscribe(uri);
    const updated = waitFor(
      on('notification'),
      (n) => n.method === 'notifications/resources/updated' && n.params.uri === uri,
      15_000,
      'resources/updated',
    );
    await conn.callTool('toggle-subscriber-updates', {});
    await updated;
    await conn.callTool('toggle-subscriber-updates', {});
    await conn.unsubscribe(uri);
    const sent = captureMessages(capture)
      .filter((m) => m.dir === 'c2s')
      .map((m) => m.msg.method);
    expect(sent).toEqual(expect.arrayContaining(['resources/subscribe', 'resources/unsubscribe']));
  });

  it('sends raw text as typed: a valid request gets its answer, an invalid one is shown with what came back', async () => {
    const ok = await conn.sendRaw(
      '{"jsonrpc":"2.0","id":"raw-1","method":"tools/call","params":{"name":"echo","arguments":{"message":"raw"}}}',
    );
    expect(ok.timedOut).toBe(false);
    expect(ok.parsed).toMatchObject({
      id: 'raw-1',
      result: { content: [{ type: 'text', text: 'Echo: raw' }] },
    });
    const bad = await conn.sendRaw('{"jsonrpc":"2.0","id":"raw-2","method":', { timeoutMs: 1500 });
    expect(bad.expectsAnswer).toBe(true);
    if (mode === 'stdio') {
      // The SDK's stdio server drops unparsable lines: no answer, reported as a timeout.
      expect(bad.timedOut).toBe(true);
      expect(bad.response).toBeUndefined();
    } else {
      expect(bad.httpStatus).toBe(400);
      expect(bad.timedOut).toBe(false);
    }
    const notif = await conn.sendRaw(
      '{"jsonrpc":"2.0","method":"notifications/roots/list_changed"}',
    );
    expect(notif.expectsAnswer).toBe(false);
    // The raw frames are on the wire record exactly as typed.
    const texts = captureRecords(capture)
      .filter((r) => r.type === 'frame' && r.dir === 'c2s')
      .map((r) => (r.type === 'frame' ? r.text : ''));
    expect(texts).toContain('{"jsonrpc":"2.0","id":"raw-2","method":');
    // And the SDK did not choke on answers it never asked for.
    expect((await conn.callTool('echo', { message: 'still fine' })).content).toEqual([
      { type: 'text', text: 'Echo: still fine' },
    ]);
  });

  it('closes cleanly and leaves a capture that verifies', async () => {
    await manager.close(conn.id);
    expect(conn.status).toBe('closed');
    const v = await runCli(['verify', capture]);
    expect(v.stdout + v.stderr).toMatch(/intact/);
    expect(v.code).toBe(0);
    const read = readCapture(readFileSync(capture, 'utf8'));
    expect(read.problems).toEqual([]);
    expect(read.closed).toBe(true);
    const records = read.records;
    expect(records.at(-1)?.type).toBe('end');
    if (mode === 'stdio') {
      expect(records.some((r) => r.type === 'spawn')).toBe(true);
      expect(records.some((r) => r.type === 'stderr')).toBe(true);
      expect(records.some((r) => r.type === 'exit')).toBe(true);
    } else {
      expect(records.some((r) => r.type === 'http' && r.dir === 's2c' && r.status === 200)).toBe(
        true,
      );
      const channels = new Set(records.flatMap((r) => (r.type === 'frame' ? [r.channel] : [])));
      expect([...channels].sort()).toEqual(
        mode === 'sse'
          ? ['http-post', 'legacy-sse']
          : expect.arrayContaining(['http-post', 'post-sse']),
      );
    }
  });
});
