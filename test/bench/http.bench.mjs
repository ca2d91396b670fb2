#!/usr/bin/env node
// Benchmark: the HTTP recorder vs direct Streamable HTTP. The SDK client makes sequential
// `tools/call echo` requests to server-everything (streamableHttp), directly or through
// `mcpscope record --target`, in alternating runs of --block calls (N calls per side per round);
// the median of the per-round ratios is reported. A bare pass-through proxy runs alongside, to
// show what the extra hop alone costs on this machine.
//   node test/bench/http.bench.mjs [--calls N] [--rounds R] [--block B]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLI, EVERYTHING, freePort, ROOT, startNode } from './lib.mjs';

const BARE = join(ROOT, 'test', 'fixtures', 'http', 'bare-proxy.mjs');

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '7' },
    block: { type: 'string', default: '50' },
  },
});
const BLOCK = Number(values.block);
const CALLS = Math.max(BLOCK, Math.round(Number(values.calls) / BLOCK) * BLOCK);
const ROUNDS = Number(values.rounds);
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-http-bench-'));
const children = [];

/** Spawn node with args; resolve with the first stderr match of `ready` (bounded in time). */
const start = (args, ready, env = {}) => startNode(args, ready, { env, children });

async function connect(url) {
  const client = new Client({ name: 'bench', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  for (let i = 0; i < 30; i++)
    await client.callTool({ name: 'echo', arguments: { message: `warm ${i}` } });
  return {
    async calls(n, tag) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const r = await client.callTool({ name: 'echo', arguments: { message: `${tag} ${i}` } });
        if (!r.content) throw new Error(`echo failed: ${JSON.stringify(r)}`);
      }
      return performance.now() - t0;
    },
    async close() {
      await transport.terminateSession();
      await client.close();
    },
  };
}

/**
 * One round: every client connected, runs of BLOCK calls rotating between them (the starting side
 * rotates per round), so load changes on this shared machine hit every side alike.
 */
async function round(r, urls) {
  const names = Object.keys(urls);
  const clients = {};
  for (const n of names) clients[n] = await connect(urls[n]);
  const ms = Object.fromEntries(names.map((n) => [n, 0]));
  for (let b = 0; b < CALLS / BLOCK; b++) {
    for (let k = 0; k < names.length; k++) {
      const n = names[(b + r + k) % names.length];
      ms[n] += await clients[n].calls(BLOCK, n);
    }
  }
  for (const n of names) await clients[n].close();
  return Object.fromEntries(names.map((n) => [n, (CALLS / ms[n]) * 1000]));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  const port = await freePort();
  await start([EVERYTHING, 'streamableHttp'], /listening on port/, { PORT: String(port) });
  const direct = `http://127.0.0.1:${port}/mcp`;
  const out = join(dir, 'bench.mcpscope.jsonl');
  const rec = await start(
    [CLI, 'record', '--target', direct, '--out', out],
    /listening on (http:\/\/\S+)/,
  );
  const proxied = rec.match[1];

  process.stderr.write(
    `HTTP recorder vs direct Streamable HTTP: ${ROUNDS} rounds of ${CALLS} sequential tools/call echo per side, alternating every ${BLOCK}\n`,
  );
  const bare = await start([BARE, direct, '0'], /listening on (http:\/\/\S+)/);
  const urls = { direct, recorder: proxied, bare: bare.match[1] };
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) {
    const got = await round(r, urls);
    runs.push(got);
    process.stderr.write(
      `  round ${r + 1}/${ROUNDS}: direct ${got.direct.toFixed(0)}, recorder ${got.recorder.toFixed(0)}, bare proxy ${got.bare.toFixed(0)} calls/s; ` +
        `recorder/direct ${(got.recorder / got.direct).toFixed(3)}, recorder/bare ${(got.recorder / got.bare).toFixed(3)}\n`,
    );
  }
  const d = runs.map((x) => x.direct);
  const p = runs.map((x) => x.recorder);
  const ratios = runs.map((x) => x.recorder / x.direct);
  rec.child.kill('SIGINT');
  await new Promise((r) => rec.child.on('close', r));
  const result = {
    bench: 'http-recorder',
    calls: CALLS,
    rounds: ROUNDS,
    block: BLOCK,
    directCallsPerSec: median(d),
    recorderCallsPerSec: median(p),
    bareProxyCallsPerSec: median(runs.map((x) => x.bare)),
    medianRatio: median(ratios),
    ratios,
    // The hop alone: a bare pass-through proxy (no parsing, no recording) vs direct, and the
    // recorder vs that bare proxy: what recording itself costs.
    bareVsDirectMedianRatio: median(runs.map((x) => x.bare / x.direct)),
    recorderVsBareMedianRatio: median(runs.map((x) => x.recorder / x.bare)),
    captureMb: statSync(out).size / 1024 / 1024,
    goal: 0.85,
  };
  console.log(JSON.stringify(result));
  console.log(
    `http recorder: median ${result.recorderCallsPerSec.toFixed(0)} calls/s vs direct ${result.directCallsPerSec.toFixed(0)} calls/s; median ratio ${result.medianRatio.toFixed(3)} (goal >= 0.85)\n` +
      `bare pass-through proxy: median ${result.bareProxyCallsPerSec.toFixed(0)} calls/s; bare/direct ${result.bareVsDirectMedianRatio.toFixed(3)}, recorder/bare ${result.recorderVsBareMedianRatio.toFixed(3)}`,
  );
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
