#!/usr/bin/env node
// Benchmark: the stdio→HTTP bridge (`mcpscope record --bridge-to URL`, what `mcpscope wrap` puts
// in front of a remote server) vs the SDK client talking Streamable HTTP directly. Sequential
// `tools/call echo` to server-everything (streamableHttp), alternating blocks of --block calls per
// side; the median of the per-round ratios (bridge calls/s ÷ direct calls/s) is reported.
//   node test/bench/bridge.bench.mjs [--calls N] [--rounds R] [--block B]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLI, EVERYTHING, freePort, startNode } from './lib.mjs';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '5' },
    block: { type: 'string', default: '50' },
  },
});
const BLOCK = Number(values.block);
const ROUNDS = Number(values.rounds);
const PER_ROUND = Math.max(BLOCK, Math.round(Number(values.calls) / ROUNDS / BLOCK) * BLOCK);
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-bridge-bench-'));

const port = await freePort();
const { child: server } = await startNode(
  [EVERYTHING, 'streamableHttp'],
  /listening on port|Server is running on port/,
  { env: { PORT: String(port) } },
);
const url = `http://127.0.0.1:${port}/mcp`;

const direct = new Client({ name: 'bench-direct', version: '1' });
await direct.connect(new StreamableHTTPClientTransport(new URL(url)));
const bridged = new Client({ name: 'bench-bridge', version: '1' });
await bridged.connect(
  new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'record', '--bridge-to', url, '--out', join(dir, 'b.mcpscope.jsonl')],
    env: { ...process.env, MCPSCOPE_HOME: dir },
    stderr: 'ignore',
  }),
);

async function block(client, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++)
    await client.callTool({ name: 'echo', arguments: { message: `m${i}` } });
  return performance.now() - t0;
}
await block(direct, 20);
await block(bridged, 20);
const ratios = [];
let dMs = 0;
let bMs = 0;
for (let r = 0; r < ROUNDS; r++) {
  let d = 0;
  let b = 0;
  for (let k = 0; k < PER_ROUND / BLOCK; k++) {
    d += await block(direct, BLOCK);
    b += await block(bridged, BLOCK);
  }
  dMs += d;
  bMs += b;
  ratios.push(d / b);
}
ratios.sort((a, b) => a - b);
const calls = PER_ROUND * ROUNDS;
console.log(
  `direct Streamable HTTP: ${((calls / dMs) * 1000).toFixed(0)} calls/s (${calls} sequential tools/call)`,
);
console.log(`through the bridge:     ${((calls / bMs) * 1000).toFixed(0)} calls/s`);
console.log(
  `bridge / direct: median ${ratios[Math.floor(ratios.length / 2)].toFixed(3)} (rounds: ${ratios.map((x) => x.toFixed(3)).join(' ')})`,
);
await bridged.close();
await direct.close();
server.kill('SIGTERM');
rmSync(dir, { recursive: true, force: true });
