#!/usr/bin/env node
// Benchmark: the HTTP recorder vs direct Streamable HTTP. The SDK client makes sequential
// `tools/call echo` requests to server-everything (streamableHttp), directly or through
// `mcpscope record --target`, in alternating runs; the median of the per-round ratios is reported.
//   node test/bench/http.bench.mjs [--calls N] [--rounds R]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'mcpscope.js');
const EVERYTHING = join(ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

const { values } = parseArgs({ options: { calls: { type: 'string', default: '400' }, rounds: { type: 'string', default: '7' } } });
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-http-bench-'));
const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Spawn node with args; resolve with the first stderr match of `ready` (bounded in time). */
function start(args, ready, env = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let err = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`not ready in 20 s: ${args.join(' ')}\n${err}`)), 20_000);
    child.stderr.on('data', (c) => {
      err += c;
      const m = ready.exec(err);
      if (m) {
        clearTimeout(t);
        resolve({ child, match: m });
      }
    });
    child.on('close', (code) => reject(new Error(`exited ${code} before ready: ${err}`)));
  });
}

async function echoRun(url) {
  const client = new Client({ name: 'bench', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  for (let i = 0; i < 30; i++) await client.callTool({ name: 'echo', arguments: { message: `warm ${i}` } });
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const r = await client.callTool({ name: 'echo', arguments: { message: `hello ${i}` } });
    if (!r.content) throw new Error(`echo failed: ${JSON.stringify(r)}`);
  }
  const secs = (performance.now() - t0) / 1000;
  await transport.terminateSession();
  await client.close();
  return CALLS / secs;
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
  const rec = await start([CLI, 'record', '--target', direct, '--out', out], /listening on (http:\/\/\S+)/);
  const proxied = rec.match[1];

  process.stderr.write(`HTTP recorder vs direct Streamable HTTP: ${ROUNDS} alternating rounds of ${CALLS} sequential tools/call echo\n`);
  const d = [];
  const p = [];
  const ratios = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so drift in machine load hits both equally.
    const order = r % 2 === 0 ? ['direct', 'recorder'] : ['recorder', 'direct'];
    const got = {};
    for (const k of order) got[k] = await echoRun(k === 'direct' ? direct : proxied);
    d.push(got.direct);
    p.push(got.recorder);
    ratios.push(got.recorder / got.direct);
    process.stderr.write(`  round ${r + 1}/${ROUNDS}: direct ${got.direct.toFixed(0)} calls/s, recorder ${got.recorder.toFixed(0)} calls/s, ratio ${(got.recorder / got.direct).toFixed(3)}\n`);
  }
  rec.child.kill('SIGINT');
  await new Promise((r) => rec.child.on('close', r));
  const result = {
    bench: 'http-recorder',
    calls: CALLS,
    rounds: ROUNDS,
    directCallsPerSec: median(d),
    recorderCallsPerSec: median(p),
    medianRatio: median(ratios),
    ratios,
    captureMb: statSync(out).size / 1024 / 1024,
    goal: 0.85,
  };
  console.log(JSON.stringify(result));
  console.log(
    `http recorder: median ${result.recorderCallsPerSec.toFixed(0)} calls/s vs direct ${result.directCallsPerSec.toFixed(0)} calls/s; median ratio ${result.medianRatio.toFixed(3)} (goal >= 0.85)`,
  );
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
