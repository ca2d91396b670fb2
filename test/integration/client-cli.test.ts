// The client-mode commands as a user runs them: mcpscope inspect / call / read / prompt, their
// JSON shapes, and their failures (exit 1 with a clear message, 2 on usage errors).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { runCli } from '../helpers/cli.js';
import { EVERYTHING, scratchDir } from '../helpers/paths.js';
import { freePort, PAGING_SERVER, startEverything, type Everything } from './client-harness.js';

/** What the plain SDK client lists, following every page itself. */
async function sdkInspect(transport: Transport): Promise<Record<string, unknown>> {
  const c = new Client({ name: 'plain', version: '1' });
  await c.connect(transport);
  try {
    const caps = c.getServerCapabilities() ?? {};
    const all = async <T>(
      page: (cursor?: string) => Promise<{ items: T[]; next?: string }>,
    ): Promise<T[]> => {
      const out: T[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 100; n++) {
        const p = await page(cursor);
        out.push(...p.items);
        if ((cursor = p.next) === undefined) break;
      }
      return out;
    };
    const opt = (cursor?: string) => (cursor ? { cursor } : undefined);
    return {
      protocolVersion: '2025-11-25',
      serverInfo: c.getServerVersion(),
      capabilities: caps,
      instructions: c.getInstructions() ?? null,
      tools: caps.tools
        ? await all(async (cu) =>
            ((r) => ({ items: r.tools, next: r.nextCursor }))(await c.listTools(opt(cu))),
          )
        : [],
      resources: caps.resources
        ? await all(async (cu) =>
            ((r) => ({ items: r.resources, next: r.nextCursor }))(await c.listResources(opt(cu))),
          )
        : [],
      resourceTemplates: caps.resources
        ? await all(async (cu) =>
            ((r) => ({ items: r.resourceTemplates, next: r.nextCursor }))(
              await c.listResourceTemplates(opt(cu)),
            ),
          )
        : [],
      prompts: caps.prompts
        ? await all(async (cu) =>
            ((r) => ({ items: r.prompts, next: r.nextCursor }))(await c.listPrompts(opt(cu))),
          )
        : [],
    };
  } finally {
    await c.close();
  }
}

describe('mcpscope inspect', () => {
  let http: Everything;
  beforeAll(async () => {
    http = await startEverything('streamableHttp');
  });
  afterAll(async () => {
    await http?.stop();
  });

  it('--json lists exactly what the SDK lists (server-everything, stdio)', async () => {
    const r = await runCli(['inspect', '--json', '--', process.execPath, EVERYTHING, 'stdio']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const mine = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(mine)).toEqual([
      'protocolVersion',
      'serverInfo',
      'capabilities',
      'instructions',
      'tools',
      'resources',
      'resourceTemplates',
      'prompts',
    ]);
    expect(mine).toEqual(
      await sdkInspect(
        new StdioClientTransport({
          command: process.execPath,
          args: [EVERYTHING, 'stdio'],
          stderr: 'ignore',
        }),
      ),
    );
  });

  it('--json follows every page (paginating server) exactly as the SDK does page by page', async () => {
    const r = await runCli(['inspect', '--json', '--', process.execPath, PAGING_SERVER]);
    expect(r.code).toBe(0);
    const mine = JSON.parse(r.stdout) as { tools: unknown[] };
    expect(mine.tools).toHaveLength(11);
    expect(mine).toEqual(
      await sdkInspect(
        new StdioClientTransport({
          command: process.execPath,
          args: [PAGING_SERVER],
          stderr: 'ignore',
        }),
      ),
    );
  });

  it('--json over Streamable HTTP matches the SDK; --out keeps a capture that verifies', async () => {
    const url = http.target.transport !== 'stdio' ? http.target.url : '';
    const out = join(scratchDir(), 'inspect.mcpscope.jsonl');
    const r = await runCli(['inspect', '--json', '--out', out, '--url', url]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(
      await sdkInspect(new StreamableHTTPClientTransport(new URL(url))),
    );
    expect((await runCli(['verify', out])).code).toBe(0);
    const shown = await runCli(['show', '--json', out]);
    expect(JSON.parse(shown.stdout).handshake.protocolVersion).toBe('2025-11-25');
  });

  it('a declared list answering "method not found" is reported empty with a warning, not a failure', async () => {
    // Client mode gives a stdio server a minimal environment plus what --env names.
    const r = await runCli([
      'inspect',
      '--json',
      '--env',
      'NO_TEMPLATES=1',
      '--',
      process.execPath,
      PAGING_SERVER,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: the server declares the capability for resources\/templates\/list but answered "method not found"/,
    );
    const j = JSON.parse(r.stdout) as { resources: unknown[]; resourceTemplates: unknown[] };
    expect(j.resources).toHaveLength(5);
    expect(j.resourceTemplates).toEqual([]);
  });

  it('prints the handshake and summarised schemas as text', async () => {
    const r = await runCli(['inspect', '--', process.execPath, EVERYTHING, 'stdio']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/protocol +2025-11-25/);
    expect(r.stdout).toContain('echo(message: string) — Echoes back the input string');
    expect(r.stdout).toContain('get-sum(a: number, b: number)');
    expect(r.stdout).toMatch(/resource templates \(2\)/);
    expect(r.stdout).toContain('args-prompt(city, state?)');
  });

  it('asks for the chosen protocol version', async () => {
    const r = await runCli([
      'inspect',
      '--json',
      '--protocol-version',
      '2025-03-26',
      '--',
      process.execPath,
      EVERYTHING,
      'stdio',
    ]);
    expect(JSON.parse(r.stdout).protocolVersion).toBe('2025-03-26');
  });

  describe('exit 1 with a clear message when it cannot connect', () => {
    let authServer: Server;
    let authPort: number;
    beforeAll(async () => {
      authPort = await freePort();
      authServer = createServer((_req, res) => {
        res.writeHead(401, {
          'www-authenticate': 'Bearer realm="test"',
          'content-type': 'text/plain',
        });
        res.end('unauthorized');
      });
      await new Promise<void>((r) => authServer.listen(authPort, '127.0.0.1', r));
    });
    afterAll(async () => {
      await new Promise((r) => authServer?.close(r));
    });

    it('missing command', async () => {
      const r = await runCli(['inspect', '--', 'mcpscope-no-such-command-xyz']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        'cannot start "mcpscope-no-such-command-xyz": command not found (ENOENT)',
      );
    });

    it('server exits at start: the last lines of its stderr are shown', async () => {
      const r = await runCli([
        'inspect',
        '--',
        process.execPath,
        '-e',
        'console.error("line one"); console.error("FATAL: no API key"); process.exit(2)',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/exited with code 2 before completing the MCP handshake/);
      expect(r.stderr).toMatch(/Last lines of its stderr:\n {2}line one\n {2}FATAL: no API key/);
    });

    it('server dies before reading anything (the first write fails): still names the exit and stderr', async () => {
      const r = await runCli(['inspect', '--', process.execPath, '-e', '1', '--no-such-node-flag']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /exited with code 9 before completing the MCP handshake[\s\S]*bad option: --no-such-node-flag/,
      );
    });

    it('server never answers: a timeout that says so', async () => {
      const r = await runCli([
        'inspect',
        '--timeout',
        '500',
        '--',
        process.execPath,
        '-e',
        'setInterval(() => {}, 1000)',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('did not answer initialize within 500 ms');
    });

    it('HTTP connection refused', async () => {
      const port = await freePort();
      const r = await runCli(['inspect', '--url', `http://127.0.0.1:${port}/mcp`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `cannot connect to http://127.0.0.1:${port}/mcp: connection refused`,
      );
    });

    it('HTTP 401', async () => {
      const r = await runCli(['inspect', '--url', `http://127.0.0.1:${authPort}/mcp`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /HTTP 401 from .*: the server wants credentials. If it uses OAuth, connect with --oauth .*pass them with --header "Authorization: Bearer TOKEN"/,
      );
    });

    it('HTTP 404', async () => {
      const base =
        http.target.transport !== 'stdio' ? new URL(http.target.url) : new URL('http://x');
      const r = await runCli(['inspect', '--url', `${base.origin}/not-here`]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/HTTP 404 from .*\/not-here: no MCP endpoint at that path/);
    });
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['inspect'])).code).toBe(2);
    expect((await runCli(['inspect', '--url', 'http://127.0.0.1:1/mcp', '--', 'x'])).code).toBe(2);
    const r = await runCli(['inspect', '--header', 'nocolon', '--url', 'http://127.0.0.1:1/mcp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected "Name: value"');
  });
});

describe('mcpscope call / read / prompt', () => {
  const everything = ['--', process.execPath, EVERYTHING, 'stdio'];

  it('call prints text content; --json prints the whole result', async () => {
    const r = await runCli(['call', 'get-sum', '--args', '{"a":2,"b":40}', ...everything]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/42/);
    const j = await runCli(['call', '--json', 'echo', '--args', '{"message":"hi"}', ...everything]);
    expect(JSON.parse(j.stdout)).toEqual({ content: [{ type: 'text', text: 'Echo: hi' }] });
  });

  it('call exits 1 on a failing call and 2 on bad --args', async () => {
    const r = await runCli(['call', 'no-such-tool', ...everything]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-such-tool/);
    const bad = await runCli(['call', 'echo', '--args', '{not json', ...everything]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--args is not valid JSON');
  });

  it('read prints a resource; prompt prints messages', async () => {
    const r = await runCli(['read', 'demo://resource/static/document/features.md', ...everything]);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(20);
    const p = await runCli(['prompt', 'args-prompt', '--args', '{"city":"Paris"}', ...everything]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^user: .*Paris/m);
    const bad = await runCli(['prompt', 'args-prompt', '--args', '{"city":1}', ...everything]);
    expect(bad.code).toBe(2);
  });
});
