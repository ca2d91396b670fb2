// Client mode against the paginating test server: every page followed (compared with the plain
// SDK following cursors itself), list history on list_changed, hostile cursors, timeouts reset by
// progress, a server that dies mid-request, several connections in one capture, headless policy.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { readCapture } from '../../shared/capture/index.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import {
  ConnectionManager,
  ConnectError,
  type ServerTarget,
} from '../../electron/engine/client/index.js';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, scratchDir } from '../helpers/paths.js';
import {
  captureMessages,
  captureRecords,
  PAGING_SERVER,
  startEverything,
  waitEvent,
} from './client-harness.js';

const paging = (env: Record<string, string> = {}): ServerTarget => ({
  transport: 'stdio',
  command: process.execPath,
  args: [PAGING_SERVER],
  env,
});
const managers: ConnectionManager[] = [];
function newManager(...args: ConstructorParameters<typeof ConnectionManager>): ConnectionManager {
  const m = new ConnectionManager(...args);
  managers.push(m);
  return m;
}

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.closeAll()));
});

async function sdkAllPages(): Promise<Record<string, unknown[]>> {
  const c = new Client({ name: 'plain', version: '1' });
  await c.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [PAGING_SERVER],
      stderr: 'ignore',
    }),
  );
  const out: Record<string, unknown[]> = {
    tools: [],
    resources: [],
    resourceTemplates: [],
    prompts: [],
  };
  try {
    for (let cur: string | undefined, n = 0; n < 50; n++) {
      const r = await c.listTools(cur ? { cursor: cur } : undefined);
      out.tools!.push(...r.tools);
      if (!(cur = r.nextCursor)) break;
    }
    for (let cur: string | undefined, n = 0; n < 50; n++) {
      const r = await c.listResources(cur ? { cursor: cur } : undefined);
      out.resources!.push(...r.resources);
      if (!(cur = r.nextCursor)) break;
    }
    for (let cur: string | undefined, n = 0; n < 50; n++) {
      const r = await c.listResourceTemplates(cur ? { cursor: cur } : undefined);
      out.resourceTemplates!.push(...r.resourceTemplates);
      if (!(cur = r.nextCursor)) break;
    }
    for (let cur: string | undefined, n = 0; n < 50; n++) {
      const r = await c.listPrompts(cur ? { cursor: cur } : undefined);
      out.prompts!.push(...r.prompts);
      if (!(cur = r.nextCursor)) break;
    }
  } finally {
    await c.close();
  }
  return out;
}

describe('pagination and list history', () => {
  it('follows every nextCursor and gets exactly what the SDK gets page by page', async () => {
    const capture = join(scratchDir(), 'paging.mcpscope.jsonl');
    const conn = await newManager().open(paging(), { capturePath: capture });
    const mine = {
      tools: await conn.listTools(),
      resources: await conn.listResources(),
      resourceTemplates: await conn.listResourceTemplates(),
      prompts: await conn.listPrompts(),
    };
    expect(mine.tools).toHaveLength(11);
    expect(mine).toEqual(await sdkAllPages());
    // 11 tools at 2 per page = 6 tools/list requests, each with the previous page's cursor.
    const toolLists = captureMessages(capture).filter(
      (m) => m.dir === 'c2s' && m.msg.method === 'tools/list',
    );
    expect(toolLists).toHaveLength(6);
    expect((toolLists[0]!.msg.params as { cursor?: string } | undefined)?.cursor).toBeUndefined();
    expect((toolLists[5]!.msg.params as { cursor?: string }).cursor).toBeTypeOf('string');
  });

  it('refreshes the list on list_changed and keeps the history of what changed', async () => {
    const m = newManager();
    const conn = await m.open(paging(), {
      capturePath: join(scratchDir(), 'history.mcpscope.jsonl'),
    });
    await conn.listTools();
    const changed = waitEvent(
      m,
      'listChanged',
      (e) => e.kind === 'tools' && e.change.added.length > 0,
      10_000,
    );
    await conn.callTool('add-tool', {});
    const e = await changed;
    expect(e.change.added).toEqual(['added-11']);
    expect(e.items).toHaveLength(12);
    const tools = conn.snapshots().find((s) => s.kind === 'tools')!;
    expect(tools.history).toHaveLength(2);
    expect(tools.history[0]!.added).toHaveLength(11);
    expect(tools.history[1]!.added).toEqual(['added-11']);
  });

  it('a storm of list_changed causes one refresh at a time, not one per notification', async () => {
    const capture = join(scratchDir(), 'storm.mcpscope.jsonl');
    const m = newManager();
    const conn = await m.open(paging(), { capturePath: capture });
    const changed = waitEvent(
      m,
      'listChanged',
      (e) => e.kind === 'tools' && e.change.added.includes('added-11'),
      10_000,
    );
    await conn.callTool('spam-list-changed', { count: 50 });
    await changed;
    await conn.listTools();
    const notified = captureMessages(capture).filter(
      (x) => x.dir === 's2c' && x.msg.method === 'notifications/tools/list_changed',
    );
    expect(notified).toHaveLength(50);
    // 12 tools at 2 per page = 6 requests per listing; at most: first refresh, one coalesced rerun, ours.
    const lists = captureMessages(capture).filter(
      (x) => x.dir === 'c2s' && x.msg.method === 'tools/list',
    );
    expect(lists.length).toBeGreaterThanOrEqual(12);
    expect(lists.length).toBeLessThanOrEqual(18);
  });

  it('stops on a server that repeats its cursor, with an error that says so', async () => {
    const conn = await newManager().open(paging({ BAD_CURSOR: '1' }), {
      capturePath: join(scratchDir(), 'bad.mcpscope.jsonl'),
    });
    await expect(conn.listTools()).rejects.toThrow(/cursor "again" twice/);
  });
});

describe('timeouts', () => {
  it('progress notifications reset the timeout; without the reset the same call times out', async () => {
    const conn = await newManager().open(paging(), {
      capturePath: join(scratchDir(), 'timeout.mcpscope.jsonl'),
    });
    const progress: number[] = [];
    const ok = await conn.callTool(
      'slow',
      { steps: 6, step: 150 },
      { timeoutMs: 400, onProgress: (p) => progress.push(p.progress) },
    );
    expect(ok.content).toEqual([{ type: 'text', text: 'done after 6 steps' }]);
    // The SDK dispatches notifications a microtask late, so the last one can land after the result.
    expect(progress.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    await expect(
      conn.callTool(
        'slow',
        { steps: 6, step: 150 },
        { timeoutMs: 400, resetTimeoutOnProgress: false },
      ),
    ).rejects.toThrow(/timed out/i);
  });
});

describe('a server that dies mid-request', () => {
  it('fails the request with a clear error, marks the session closed, keeps an intact capture', async () => {
    const capture = join(scratchDir(), 'crash.mcpscope.jsonl');
    const m = newManager();
    const conn = await m.open(paging(), { capturePath: capture });
    const closed = waitEvent(m, 'status', (e) => e.info.status === 'closed', 10_000);
    await expect(conn.callTool('crash', {})).rejects.toThrow(
      /tools\/call failed: the server closed the connection before answering \(server exited with code 7; last stderr: .*crashing on purpose/,
    );
    const st = await closed;
    expect(st.info.error).toMatch(/exited with code 7/);
    expect(conn.status).toBe('closed');
    await expect(conn.ping()).rejects.toThrow(/connection is closed/);
    const records = captureRecords(capture);
    expect(records.find((r) => r.type === 'exit')).toMatchObject({ code: 7 });
    expect(
      records.some((r) => r.type === 'stderr' && r.text?.includes('crashing on purpose')),
    ).toBe(true);
    expect(
      captureMessages(capture).some((x) => x.dir === 'c2s' && x.msg.method === 'tools/call'),
    ).toBe(true);
    expect(records.at(-1)?.type).toBe('end');
    const v = await runCli(['verify', capture]);
    expect(v.code).toBe(0);
  });

  it('a server that exits at start fails open() with its stderr', async () => {
    const m = newManager();
    const p = m.open(
      {
        transport: 'stdio',
        command: process.execPath,
        args: ['-e', 'console.error("config missing: API_KEY"); process.exit(4)'],
      },
      { capturePath: join(scratchDir(), 'start.mcpscope.jsonl') },
    );
    await expect(p).rejects.toBeInstanceOf(ConnectError);
    await expect(p).rejects.toThrow(
      /exited with code 4 before completing the MCP handshake[\s\S]*config missing: API_KEY/,
    );
    expect(m.list()[0]?.status).toBe('failed');
  });
});

describe('several connections in one capture', () => {
  it('tags each record with its connection and keeps one verifiable chain', async () => {
    const capture = join(scratchDir(), 'shared.mcpscope.jsonl');
    const m = newManager({ sharedCapturePath: capture });
    const a = await m.open(paging(), { name: 'paging' });
    const b = await m.open(
      { transport: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] },
      { name: 'everything' },
    );
    const http = await startEverything('streamableHttp');
    try {
      const c = await m.open(http.target, { name: 'everything-http' });
      expect(m.list().map((x) => [x.id, x.status])).toEqual([
        ['c1', 'open'],
        ['c2', 'open'],
        ['c3', 'open'],
      ]);
      await Promise.all([
        a.callTool('tool-1', {}),
        b.callTool('echo', { message: 'x' }),
        c.callTool('echo', { message: 'y' }),
      ]);
      await m.closeAll();
    } finally {
      await http.stop();
    }
    const frames = captureRecords(capture).filter((r) => r.type === 'frame');
    expect(new Set(frames.map((f) => (f.type === 'frame' ? f.conn : undefined)))).toEqual(
      new Set(['c1', 'c2', 'c3']),
    );
    expect(
      captureRecords(capture).some(
        (r) => r.type === 'http' && r.conn === 'c3' && r.stream.startsWith('c3.h'),
      ),
    ).toBe(true);
    // Every record validates strictly (conn is a known field on each record type that carries it).
    const read = readCapture(readFileSync(capture, 'utf8'));
    expect(read.problems).toEqual([]);
    const notes = read.records
      .filter((r) => r.type === 'note')
      .map((r) => (r.type === 'note' ? [r.conn, r.text] : []));
    expect(notes).toHaveLength(6);
    // Connections close in parallel: any order.
    expect(notes).toEqual(
      expect.arrayContaining([
        ['c1', expect.stringContaining('connection c1 opens')],
        ['c2', expect.stringContaining('connection c2 opens')],
        ['c3', expect.stringContaining('connection c3 opens')],
        ['c1', 'connection c1 ended: closed by mcpscope'],
        ['c2', 'connection c2 ended: closed by mcpscope'],
        ['c3', 'connection c3 ended: closed by mcpscope'],
      ]),
    );
    expect((await runCli(['verify', capture])).code).toBe(0);
  });
});

describe('headless policy', () => {
  it('answers sampling from the policy, and rejects with a clear JSON-RPC error without one', async () => {
    const capture = join(scratchDir(), 'policy.mcpscope.jsonl');
    const m = newManager();
    const everything: ServerTarget = {
      transport: 'stdio',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    };
    const withPolicy = await m.open(everything, {
      capturePath: capture,
      capabilities: { sampling: {} },
      policy: {
        answers: {
          'sampling/createMessage': {
            role: 'assistant',
            model: 'policy-model',
            content: { type: 'text', text: 'from the policy file' },
          },
        },
      },
    });
    const r = await withPolicy.callTool('trigger-sampling-request', { prompt: 'p' });
    expect(JSON.stringify(r.content)).toContain('from the policy file');
    const without = await m.open(everything, {
      capturePath: join(scratchDir(), 'nopolicy.mcpscope.jsonl'),
      capabilities: { sampling: {} },
    });
    const refused = await without.callTool('trigger-sampling-request', { prompt: 'p' }).then(
      (x) => JSON.stringify(x),
      (e: Error) => e.message,
    );
    expect(refused).toContain('mcpscope (headless) declined sampling/createMessage');
  });

  it('mcpscope call --policy declares sampling and answers from the file', async () => {
    const dir = scratchDir();
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        answers: {
          'sampling/createMessage': {
            role: 'assistant',
            model: 'm',
            content: { type: 'text', text: 'cli-policy-answer' },
          },
        },
      }),
    );
    const r = await runCli([
      'call',
      'trigger-sampling-request',
      '--args',
      '{"prompt":"x"}',
      '--policy',
      policy,
      '--',
      process.execPath,
      EVERYTHING,
      'stdio',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('cli-policy-answer');
    expect(r.code).toBe(0);
  });
});
