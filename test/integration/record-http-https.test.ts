// An https target: the recorder speaks TLS upstream while serving plain http on loopback. The
// target is a real SDK server (stateless Streamable HTTP) behind node:https with a throwaway
// self-signed certificate; the recorder trusts it through NODE_EXTRA_CA_CERTS, as a user would.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server as McpLowServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { runCli } from '../helpers/cli.js';
import { CLI, scratchDir } from '../helpers/paths.js';
import { readRecords, spawnUntil, type Proc } from './record-http-harness.js';

const dir = scratchDir('mcpscope-https-');
const cert = join(dir, 'cert.pem');
const key = join(dir, 'key.pem');
let server: Server;
let port = 0;
const procs: Proc[] = [];

beforeAll(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  server = createServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
    const mcp = new McpLowServer(
      { name: 'tls-echo', version: '1.0.0' },
      { capabilities: { tools: {} } },
    );
    mcp.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [{ name: 'echo', inputSchema: { type: 'object' as const } }],
    }));
    mcp.setRequestHandler(CallToolRequestSchema, (r) => ({
      content: [{ type: 'text' as const, text: `tls: ${String(r.params.arguments?.message)}` }],
    }));
    // JSON responses instead of SSE: covers the `http-response` channel with a real SDK server.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    res.on('close', () => void transport.close());
    void mcp.connect(transport).then(() => transport.handleRequest(req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  port = typeof a === 'object' && a ? a.port : 0;
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('record --target https://…', () => {
  it('proxies a TLS target and records it', async () => {
    const out = join(dir, 'https.mcpscope.jsonl');
    const rec = await spawnUntil(
      [CLI, 'record', '--target', `https://127.0.0.1:${port}/mcp`, '--out', out],
      /listening on (http:\/\/\S+)/,
      {
        NODE_EXTRA_CA_CERTS: cert,
      },
    );
    procs.push(rec);
    const client = new Client({ name: 'tls-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(rec.match[1]!)));
    const r = await client.callTool({ name: 'echo', arguments: { message: 'secure' } });
    expect(JSON.stringify(r.content)).toContain('tls: secure');
    await client.close();
    expect(await rec.stop('SIGINT')).toBe(0);
    const recs = readRecords(out);
    expect(recs[0]).toMatchObject({
      source: { transport: 'streamable-http', url: `https://127.0.0.1:${port}/mcp` },
    });
    expect(
      recs.find(
        (x) => x.type === 'frame' && x.dir === 's2c' && String(x.text).includes('tls: secure'),
      ),
    ).toMatchObject({ channel: 'http-response' });
    expect((await runCli(['verify', out])).code).toBe(0);
  });

  it('answers 502 and explains when the certificate is not trusted', async () => {
    const out = join(dir, 'untrusted.mcpscope.jsonl');
    const rec = await spawnUntil(
      [CLI, 'record', '--target', `https://127.0.0.1:${port}/mcp`, '--out', out],
      /listening on (http:\/\/\S+)/,
    );
    procs.push(rec);
    const res = await fetch(rec.match[1]!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /TLS|certificate/i,
    );
    expect(await rec.stop('SIGTERM')).toBe(0);
  });
});
