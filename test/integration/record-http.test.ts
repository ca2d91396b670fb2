// The HTTP recorder between the real SDK client and server-everything (Streamable HTTP and legacy
// SSE): the conversation works through it, SSE events pass as they arrive, and the capture holds
// exactly what the client sent and received.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/paths.js';
import {
  frameSet,
  logTransport,
  messageSet,
  readRecords,
  startEverything,
  startRecorder,
  type Logged,
  type Proc,
  type Rec,
} from './record-http-harness.js';

const dir = scratchDir('mcpscope-http-');
const procs: Proc[] = [];
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
});

function makeClient(): Client {
  const client = new Client(
    { name: 'http-recorder-test', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: {} } },
  );
  client.setRequestHandler(CreateMessageRequestSchema, () => ({
    model: 'test-model',
    role: 'assistant' as const,
    content: { type: 'text' as const, text: 'sampled by the test client' },
  }));
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'decline' as const }));
  return client;
}

/** Lists, tool calls, a long-running call with progress (timed), a sampling round trip. */
async function converse(
  client: Client,
): Promise<{ progressAt: number[]; resultAt: number; startedAt: number }> {
  const tools = await client.listTools();
  expect(tools.tools.map((t) => t.name)).toContain('echo');
  expect((await client.listResources()).resources.length).toBeGreaterThan(0);
  expect((await client.listPrompts()).prompts.length).toBeGreaterThan(0);
  const echo = await client.callTool({
    name: 'echo',
    arguments: { message: 'through the recorder ✓' },
  });
  expect(JSON.stringify(echo.content)).toContain('through the recorder ✓');

  // 4 steps of 500 ms: each progress notification must reach the client while the call runs.
  const progressAt: number[] = [];
  const startedAt = performance.now();
  await client.callTool(
    { name: 'trigger-long-running-operation', arguments: { duration: 2, steps: 4 } },
    undefined,
    {
      onprogress: () => progressAt.push(performance.now()),
      timeout: 30_000,
    },
  );
  const resultAt = performance.now();

  const sampled = await client.callTool({
    name: 'trigger-sampling-request',
    arguments: { prompt: 'hello', maxTokens: 5 },
  });
  expect(JSON.stringify(sampled.content)).toContain('sampled by the test client');

  // A message unrelated to any request: it travels on the standalone GET stream (legacy: the SSE stream).
  const logged = new Promise<void>((resolve, reject) => {
    const t = setTimeout(
      () => reject(new Error('no notifications/message arrived within 10 s')),
      10_000,
    );
    client.setNotificationHandler(LoggingMessageNotificationSchema, () => {
      clearTimeout(t);
      resolve();
    });
  });
  await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
  await logged;
  await client.callTool({ name: 'toggle-simulated-logging', arguments: {} });
  return { progressAt, resultAt, startedAt };
}

/** Rethrow with what the processes printed, so a failure on a loaded machine can be diagnosed. */
async function explained<T>(run: () => Promise<T>, ...ps: Proc[]): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const err = e as Error;
    err.message = `${err.message}\n${ps.map((p) => `--- stderr:\n${p.stderr().slice(-2000)}`).join('\n')}`;
    throw err;
  }
}

/** A client over `transport` holds the conversation; its progress must arrive streamed. */
async function converseStreamed(
  transport: Parameters<Client['connect']>[0],
  ...ps: Proc[]
): Promise<Client> {
  const client = makeClient();
  const timing = await explained(
    async () => {
      await client.connect(transport);
      return converse(client);
    },
    ...ps,
  );
  expectStreamedProgress(timing);
  return client;
}

function expectStreamedProgress(t: {
  progressAt: number[];
  resultAt: number;
  startedAt: number;
}): void {
  expect(t.progressAt.length).toBeGreaterThanOrEqual(3);
  // Buffered until the end, all would arrive together with the result (~2 s in).
  expect(t.progressAt[0]! - t.startedAt).toBeLessThan(1200);
  expect(t.resultAt - t.progressAt[0]!).toBeGreaterThan(1000);
  for (let i = 1; i < Math.min(3, t.progressAt.length); i++)
    expect(t.progressAt[i]! - t.progressAt[i - 1]!).toBeGreaterThan(300);
}

function expectCaptureMatches(recs: Rec[], log: Logged): void {
  expect(log.sent.length).toBeGreaterThan(8);
  expect(log.received.length).toBeGreaterThan(8);
  expect(frameSet(recs, 'c2s')).toEqual(messageSet(log.sent));
  expect(frameSet(recs, 's2c')).toEqual(messageSet(log.received));
  // Progress recorded as it streamed, not when the call ended.
  const progress = recs.filter(
    (r) => r.type === 'frame' && String(r.text).includes('notifications/progress'),
  );
  expect(progress.length).toBe(4);
  expect(progress[1]!.ts - progress[0]!.ts).toBeGreaterThan(300);
  expect(recs[0]!.type).toBe('header');
  expect(recs.at(-1)!.type).toBe('end');
  // Timestamps never go back, although recording runs at the end of each event-loop turn.
  for (let i = 1; i < recs.length; i++) expect(recs[i]!.ts).toBeGreaterThanOrEqual(recs[i - 1]!.ts);
}

describe('record --target (Streamable HTTP)', () => {
  let server: Proc & { port: number };
  beforeAll(async () => {
    server = await startEverything('streamableHttp');
    procs.push(server);
  });

  it('records a whole session, streams progress live, and ends cleanly on SIGINT', async () => {
    const out = join(dir, 'streamable.mcpscope.jsonl');
    const rec = await startRecorder([
      '--target',
      `http://127.0.0.1:${server.port}/mcp`,
      '--out',
      out,
    ]);
    procs.push(rec);
    expect(rec.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const { transport, log } = logTransport(new StreamableHTTPClientTransport(new URL(rec.url)));
    const client = await converseStreamed(transport, rec, server);
    await transport.terminateSession();
    await client.close();

    expect(await rec.stop('SIGINT')).toBe(0);
    expect(rec.stderr()).toContain('capture complete');
    const recs = readRecords(out);
    expect(recs[0]).toMatchObject({
      type: 'header',
      source: { transport: 'streamable-http', url: `http://127.0.0.1:${server.port}/mcp` },
    });
    expectCaptureMatches(recs, log);

    const frames = recs.filter((r) => r.type === 'frame');
    expect(new Set(frames.filter((f) => f.dir === 'c2s').map((f) => f.channel))).toEqual(
      new Set(['http-post']),
    );
    // The progress notifications travel on the SSE stream answering the tool call's POST, with event ids.
    const call = frames.find(
      (f) => f.dir === 'c2s' && String(f.text).includes('trigger-long-running-operation'),
    )!;
    const progress = frames.filter((f) => String(f.text).includes('notifications/progress'));
    for (const p of progress)
      expect(p).toMatchObject({
        channel: 'post-sse',
        stream: call.stream,
        eventId: expect.any(String),
      });
    // The server→client sampling request and the client's answer.
    const sampling = frames.find(
      (f) => f.dir === 's2c' && String(f.text).includes('sampling/createMessage'),
    )!;
    expect(sampling.channel).toBe('post-sse');
    const samplingId = (JSON.parse(sampling.text as string) as { id: number }).id;
    expect(
      frames.some(
        (f) =>
          f.dir === 'c2s' &&
          (JSON.parse(f.text as string) as { id?: number; result?: unknown }).id === samplingId,
      ),
    ).toBe(true);
    // The log message came on the client's GET stream.
    const getStream = recs.find((r) => r.type === 'http' && r.method === 'GET')!.stream;
    expect(frames.find((f) => String(f.text).includes('notifications/message'))).toMatchObject({
      channel: 'get-sse',
      stream: getStream,
    });
    // Session termination and the HTTP metadata.
    const http = recs.filter((r) => r.type === 'http');
    const del = http.find((r) => r.method === 'DELETE')!;
    expect(del.headers).toHaveProperty('mcp-session-id');
    expect(http.find((r) => r.dir === 's2c' && r.stream === del.stream)).toMatchObject({
      status: 200,
    });
    expect(http.some((r) => r.method === 'GET')).toBe(true);
    expect(recs.at(-1)).toMatchObject({ type: 'end', reason: 'stopped by SIGINT' });

    const verify = await runCli(['verify', out]);
    expect(verify.code).toBe(0);
  });

  it('links a Last-Event-ID reconnection to the stream it resumes', async () => {
    const out = join(dir, 'resume.mcpscope.jsonl');
    const rec = await startRecorder([
      '--target',
      `http://127.0.0.1:${server.port}/mcp`,
      '--out',
      out,
    ]);
    procs.push(rec);
    const transport = new StreamableHTTPClientTransport(new URL(rec.url));
    const client = makeClient();
    await client.connect(transport);
    await client.callTool({ name: 'echo', arguments: { message: 'one' } });
    const eventId = readRecords(out).find((r) => r.type === 'frame' && r.eventId !== undefined)!
      .eventId as string;
    const stream = readRecords(out).find((r) => r.eventId === eventId)!.stream as string;
    // Reconnect as a client that lost a stream would.
    const ac = new AbortController();
    const res = await fetch(rec.url, {
      headers: {
        accept: 'text/event-stream',
        'mcp-session-id': transport.sessionId!,
        'last-event-id': eventId,
        'mcp-protocol-version': '2025-11-25',
      },
      signal: ac.signal,
    });
    expect(res.status).toBeLessThan(500);
    ac.abort();
    await transport.terminateSession();
    await client.close();
    expect(await rec.stop('SIGTERM')).toBe(0);
    const recs = readRecords(out);
    expect(
      recs.some(
        (r) =>
          r.type === 'note' &&
          String(r.text).includes(`resumes stream ${stream} after event ${eventId}`),
      ),
    ).toBe(true);
    expect(recs.at(-1)).toMatchObject({ type: 'end', reason: 'stopped by SIGTERM' });
    expect((await runCli(['verify', out])).code).toBe(0);
  });
});

describe('record --target (legacy HTTP+SSE)', () => {
  it('records the legacy transport with the endpoint event, and the client keeps posting through the proxy', async () => {
    const server = await startEverything('sse');
    procs.push(server);
    const out = join(dir, 'legacy.mcpscope.jsonl');
    // "localhost" in the target: an absolute endpoint would name it, the relative one needs no rewrite.
    const rec = await startRecorder([
      '--target',
      `http://localhost:${server.port}/sse`,
      '--out',
      out,
    ]);
    procs.push(rec);
    expect(rec.url).toMatch(/\/sse$/);

    const { transport, log } = logTransport(new SSEClientTransport(new URL(rec.url)));
    const client = await converseStreamed(transport, rec, server);
    await client.close();

    expect(await rec.stop('SIGINT')).toBe(0);
    const recs = readRecords(out);
    expect(recs[0]).toMatchObject({ type: 'header', source: { transport: 'sse' } });
    expectCaptureMatches(recs, log);
    const s2c = recs.filter((r) => r.type === 'frame' && r.dir === 's2c');
    expect(new Set(s2c.map((f) => f.channel))).toEqual(new Set(['legacy-sse']));
    expect(
      recs.some(
        (r) =>
          r.type === 'note' && /legacy endpoint event \/message\?sessionId=/.test(String(r.text)),
      ),
    ).toBe(true);
    // Every POST went through the proxy (none bypassed it): one http-post frame per message sent.
    expect(recs.filter((r) => r.type === 'frame' && r.dir === 'c2s').length).toBe(log.sent.length);
    expect((await runCli(['verify', out])).code).toBe(0);
  });
});
