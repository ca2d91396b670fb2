#!/usr/bin/env node
// Benchmark: the stdio recorder vs a bare Node pass-through (test/fixtures/tee.mjs: pipes both ways,
// appends the bytes to files), sequential `tools/call echo` against server-everything, alternating
// runs; then memory of the recorder while 1,000,000 frames pass.
//   node test/bench/stdio.bench.mjs [--calls N] [--rounds R] [--frames F]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLI, EVERYTHING, ROOT } from './lib.mjs';

const TEE = join(ROOT, 'test', 'fixtures', 'tee.mjs');
const RAW = join(ROOT, 'test', 'fixtures', 'servers', 'raw.mjs');

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '7' },
    frames: { type: 'string', default: '1000000' },
  },
});
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const FRAMES = Number(values.frames);
const dir = mkdtempSync(join(tmpdir(), 'mcpscope-bench-'));

/** A line-oriented JSON-RPC driver over a child process. */
function driver(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  let buf = '';
  const waiters = new Map();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c) => {
    buf += c;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const msg = JSON.parse(line);
      if (msg.id !== undefined && waiters.has(msg.id)) {
        waiters.get(msg.id)(msg);
        waiters.delete(msg.id);
      }
    }
  });
  const exited = new Promise((r) => child.on('close', r));
  return {
    request(id, method, params) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`timeout waiting for ${method} #${id}`)),
          20_000,
        );
        waiters.set(id, (m) => {
          clearTimeout(t);
          resolve(m);
        });
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    },
    notify(method) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

async function echoRun(kind, round) {
  const server = [process.execPath, EVERYTHING, 'stdio'];
  const args =
    kind === 'recorder'
      ? [CLI, 'record', '--out', join(dir, `r${round}.mcpscope.jsonl`), '--', ...server]
      : [TEE, join(dir, `in${round}.bin`), join(dir, `out${round}.bin`), '--', ...server];
  const d = driver(process.execPath, args);
  await d.request(0, 'initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'bench', version: '1' },
  });
  d.notify('notifications/initialized');
  for (let i = 1; i <= 50; i++)
    await d.request(i, 'tools/call', { name: 'echo', arguments: { message: `warm ${i}` } });
  const t0 = performance.now();
  for (let i = 1; i <= CALLS; i++) {
    const r = await d.request(100 + i, 'tools/call', {
      name: 'echo',
      arguments: { message: `hello ${i}` },
    });
    if (!r.result) throw new Error(`echo failed: ${JSON.stringify(r)}`);
  }
  const secs = (performance.now() - t0) / 1000;
  await d.close();
  return CALLS / secs;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function throughput() {
  const bare = [];
  const rec = [];
  const ratios = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so drift in machine load hits both equally.
    const order = r % 2 === 0 ? ['passthrough', 'recorder'] : ['recorder', 'passthrough'];
    const got = {};
    for (const k of order) got[k] = await echoRun(k, r);
    bare.push(got.passthrough);
    rec.push(got.recorder);
    ratios.push(got.recorder / got.passthrough);
    process.stderr.write(
      `  round ${r + 1}/${ROUNDS}: pass-through ${got.passthrough.toFixed(0)} calls/s, recorder ${got.recorder.toFixed(0)} calls/s, ratio ${(got.recorder / got.passthrough).toFixed(3)}\n`,
    );
  }
  return {
    calls: CALLS,
    rounds: ROUNDS,
    passthroughCallsPerSec: median(bare),
    recorderCallsPerSec: median(rec),
    medianRatio: median(ratios),
    ratios,
  };
}

function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function memory() {
  const out = join(dir, 'million.mcpscope.jsonl');
  const child = spawn(
    process.execPath,
    [CLI, 'record', '--out', out, '--', process.execPath, RAW, 'echo'],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  const perDir = FRAMES / 2; // each line goes c2s and comes back s2c: two frames
  const line =
    '{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}\n';
  let echoed = 0;
  child.stdout.on('data', (c) => {
    for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) echoed++;
  });
  const samples = [];
  const sampler = setInterval(() => {
    const kb = rssKb(child.pid);
    if (kb) samples.push({ frames: echoed * 2, rssMb: kb / 1024 });
  }, 250);
  const batch = line.repeat(1000);
  const t0 = performance.now();
  for (let sent = 0; sent < perDir; sent += 1000) {
    if (!child.stdin.write(batch)) await new Promise((r) => child.stdin.once('drain', r));
    // Bounded window: don't run more than 50k lines ahead of the echoes.
    const deadline = Date.now() + 30_000;
    while (sent - echoed > 50_000) {
      if (Date.now() > deadline) throw new Error('memory bench stalled');
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const deadline = Date.now() + 60_000;
  while (echoed < perDir && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const secs = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  child.stdin.end();
  await new Promise((r) => child.on('close', r));
  const size = statSync(out).size;
  rmSync(out);
  const warm = samples.filter((s) => s.frames >= FRAMES * 0.1);
  const at = (f) => warm.find((s) => s.frames >= f)?.rssMb;
  return {
    frames: echoed * 2,
    seconds: secs,
    framesPerSec: (echoed * 2) / secs,
    captureMb: size / 1024 / 1024,
    rssMbAt10pct: warm[0]?.rssMb,
    rssMbAt50pct: at(FRAMES * 0.5),
    rssMbAtEnd: warm[warm.length - 1]?.rssMb,
    rssMbPeak: Math.max(...samples.map((s) => s.rssMb)),
  };
}

try {
  process.stderr.write(
    `stdio recorder vs pass-through: ${ROUNDS} alternating rounds of ${CALLS} sequential tools/call echo\n`,
  );
  const t = await throughput();
  process.stderr.write(`memory: ${FRAMES} frames through the recorder\n`);
  const m = await memory();
  const result = { bench: 'stdio-recorder', throughput: t, memory: m };
  console.log(JSON.stringify(result));
  console.log(
    `stdio recorder: median ${t.recorderCallsPerSec.toFixed(0)} calls/s vs pass-through ${t.passthroughCallsPerSec.toFixed(0)} calls/s; median ratio ${t.medianRatio.toFixed(3)} (goal >= 0.9)\n` +
      `memory: ${m.frames} frames in ${m.seconds.toFixed(1)} s; recorder RSS ${m.rssMbAt10pct?.toFixed(1)} MB at 10%, ${m.rssMbAt50pct?.toFixed(1)} MB at 50%, ${m.rssMbAtEnd?.toFixed(1)} MB at end, peak ${m.rssMbPeak.toFixed(1)} MB; capture ${m.captureMb.toFixed(0)} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
