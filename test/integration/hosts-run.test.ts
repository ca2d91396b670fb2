// Wrapped entries started the way a host starts them (spawn command + args with the entry's env
// and cwd) work with the real SDK client and leave a capture: stdio servers through
// `record -- CMD`, remote servers through the stdio→HTTP bridge to a local server-everything.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeFakeHome, type FakeHome } from '../helpers/fake-home.js';
import { EVERYTHING, scratchDir } from '../helpers/paths.js';
import { startEverything, type Proc } from './record-http-harness.js';

interface Entry {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}
type Rec = {
  type: string;
  dir?: string;
  text?: string;
  status?: number;
  headers?: Record<string, string>;
  cwd?: string;
  method?: string;
};

let fake: FakeHome;
let data: string;
let http: Proc & { port: number };
let sse: Proc & { port: number };

beforeAll(async () => {
  [http, sse] = await Promise.all([startEverything('streamableHttp'), startEverything('sse')]);
  const root = scratchDir('mcpscope-hosts-run-');
  data = join(root, 'data');
  fake = makeFakeHome(root, {
    stdio: [process.execPath, EVERYTHING, 'stdio'],
    url: `http://127.0.0.1:${http.port}/mcp`,
  });
  // A legacy SSE server in Cursor's project file.
  const cursorProject = JSON.parse(readFileSync(fake.files.cursorProject!, 'utf8')) as {
    mcpServers: Record<string, unknown>;
  };
  cursorProject.mcpServers.legacy = { url: `http://127.0.0.1:${sse.port}/sse` };
  writeFileSync(fake.files.cursorProject!, JSON.stringify(cursorProject, null, 2));
  const w = await runCli(['wrap', '--all'], {
    env: { ...fake.env, MCPSCOPE_HOME: data },
    cwd: fake.project,
  });
  expect(w.code, w.stderr).toBe(0);
});
afterAll(async () => {
  await Promise.all([http?.stop(), sse?.stop()]);
});

const entry = (file: string, path: string[]): Entry => {
  let v: unknown = JSON.parse(
    readFileSync(file, 'utf8').replace(
      /^\s*\/\/.*$|\/\*.*?\*\/|,(?=\s*[}\]])|\s\/\/ [^"\n]*$/gm,
      '',
    ),
  );
  for (const k of path) v = (v as Record<string, unknown>)[k];
  return v as Entry;
};

function capturesSince(before: Set<string>): Rec[][] {
  const dir = join(data, 'captures');
  return readdirSync(dir)
    .filter((f) => !before.has(f) && f.endsWith('.mcpscope.jsonl')) // not the sidecar indexes
    .map((f) =>
      readFileSync(join(dir, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Rec),
    );
}

const existing = (): Set<string> => {
  try {
    return new Set(readdirSync(join(data, 'captures')));
  } catch {
    return new Set();
  }
};

/** Start the entry like a host: its command and args, its env on top of a minimal environment, its cwd. */
async function useEntry(e: Entry, message: string): Promise<Rec[]> {
  const before = existing();
  expect(e.args).toContain('record');
  const transport = new StdioClientTransport({
    command: e.command,
    args: e.args,
    env: { PATH: process.env.PATH ?? '', ...fake.env, ...(e.env ?? {}), MCPSCOPE_HOME: data },
    ...(e.cwd ? { cwd: e.cwd } : {}),
    stderr: 'pipe',
  });
  const client = new Client({ name: 'fake-host', version: '1.0.0' });
  await client.connect(transport);
  expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo');
  const r = await client.callTool({ name: 'echo', arguments: { message } });
  expect(JSON.stringify(r.content)).toContain(message);
  await client.close();
  // The recorder completes its capture when the host closes its stdin.
  for (let i = 0; i < 100; i++) {
    const c = capturesSince(before);
    if (c.length === 1 && c[0]!.at(-1)?.type === 'end') return c[0]!;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('no complete capture appeared');
}

const framesWith = (recs: Rec[], dir: string, text: string): number =>
  recs.filter((r) => r.type === 'frame' && r.dir === dir && r.text?.includes(text)).length;

describe('wrapped entries started like a host starts them', () => {
  it('stdio (Claude Desktop, with env) works and leaves a capture', async () => {
    const e = entry(fake.files.claudeDesktop!, ['mcpServers', 'everything']);
    expect(e.env).toEqual({ EVERYTHING_MODE: 'desktop', API_TOKEN: 'tok-desktop' });
    const recs = await useEntry(e, 'hello desktop');
    expect(framesWith(recs, 'c2s', '"tools/call"')).toBe(1);
    expect(framesWith(recs, 's2c', 'hello desktop')).toBe(1);
    expect(recs.some((r) => r.type === 'spawn')).toBe(true);
  });

  it('stdio with a cwd (Gemini CLI) runs the server in that folder', async () => {
    const e = entry(fake.files.gemini!, ['mcpServers', 'everything']);
    expect(e.cwd).toBe(fake.project);
    const recs = await useEntry(e, 'hello gemini');
    expect(recs.find((r) => r.type === 'spawn')?.cwd).toBe(fake.project);
  });

  it('remote Streamable HTTP (VS Code JSONC entry with headers) reaches server-everything through the bridge', async () => {
    const e = entry(fake.files.vscode!, ['servers', 'remote']);
    expect(e.args).toContain('--bridge-to');
    const recs = await useEntry(e, 'hello bridge');
    expect(framesWith(recs, 'c2s', '"initialize"')).toBe(1);
    expect(framesWith(recs, 's2c', 'hello bridge')).toBe(1);
    const posts = recs.filter((r) => r.type === 'http' && r.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(3);
    // The configured header reached the remote; the record masks it.
    expect(posts[0]!.headers?.authorization).toBe('Bearer [REDACTED]');
    expect(recs.some((r) => r.type === 'http' && r.status === 200)).toBe(true);
  });

  it('remote with no transport given (Windsurf serverUrl) works too', async () => {
    const recs = await useEntry(
      entry(fake.files.windsurf!, ['mcpServers', 'remote']),
      'hello windsurf',
    );
    expect(framesWith(recs, 's2c', 'hello windsurf')).toBe(1);
  });

  it('a legacy SSE server (Cursor url, no transport given) works through the bridge after falling back from Streamable HTTP', async () => {
    const recs = await useEntry(
      entry(fake.files.cursorProject!, ['mcpServers', 'legacy']),
      'hello sse',
    );
    expect(framesWith(recs, 's2c', 'hello sse')).toBe(1);
    expect(recs.some((r) => r.type === 'http' && r.method === 'GET')).toBe(true);
    // Cursor does not say which transport: the bridge tried Streamable HTTP first and fell back.
    expect(
      recs.some(
        (r) =>
          r.type === 'note' && /trying legacy HTTP\+SSE/.test((r as { text?: string }).text ?? ''),
      ),
    ).toBe(true);
  });
});

describe('record --bridge-to when the remote is down', () => {
  it('answers each request with a JSON-RPC error that says why, records it, exits 1', async () => {
    const { freePort } = await import('../helpers/net.js');
    const port = await freePort();
    const out = join(data, 'down.mcpscope.jsonl');
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'h', version: '1' },
      },
    };
    const r = await runCli(
      ['record', '--bridge-to', `http://127.0.0.1:${port}/mcp`, '--out', out],
      { input: `${JSON.stringify(init)}\nnot json\n` },
    );
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: unknown; error: { code: number; message: string } });
    expect(lines.find((l) => l.id === 1)?.error.message).toMatch(/connection refused/);
    expect(lines.find((l) => l.id === null)?.error.code).toBe(-32700);
    const recs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Rec);
    expect(recs.some((x) => x.type === 'error')).toBe(true);
    expect(recs.at(-1)?.type).toBe('end');
  });

  it('rejects a bad header or URL with exit 2', async () => {
    expect((await runCli(['record', '--bridge-to', 'ftp://x/'])).code).toBe(2);
    const r = await runCli([
      'record',
      '--bridge-to',
      'http://127.0.0.1:1/mcp',
      '--header',
      'no colon',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give "Name: value"');
  });
});
