// Replay and mock benchmarks (PRODUCT.md quality bar: the mock answers ≥ 5,000 sequential
// tools/call per second over stdio; a 10,000-exchange capture replays against its own mock in
// under 10 s). Needs `npm run build`.
//
//   node test/bench/replay.bench.mjs [EXCHANGES]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ROOT, writeHandshake } from './lib.mjs';

const EXCHANGES = Number(process.argv[2] ?? 10_000);

async function writeCapture(path, n) {
  const { CaptureWriter } = await import(
    pathToFileURL(join(ROOT, 'dist/electron/engine/capture/writer.js')).href
  );
  const w = new CaptureWriter({
    path,
    source: { transport: 'stdio', command: ['node', 'bench-server'], name: 'replay bench' },
  });
  const frame = (dir, m) =>
    w.append({ type: 'frame', dir, channel: 'stdio', text: JSON.stringify(m) });
  w.batch(() => {
    writeHandshake(frame);
    for (let i = 1; i <= n; i++) {
      frame('c2s', {
        jsonrpc: '2.0',
        id: i,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: `message ${i}` } },
      });
      frame('s2c', {
        jsonrpc: '2.0',
        id: i,
        result: { content: [{ type: 'text', text: `Echo: message ${i}` }] },
      });
    }
  });
  w.close('bench capture written');
}

/** Sequential tools/call over the mock's stdio with a bare line client; returns calls per second. */
function mockCallsPerSecond(capture, calls) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'mock', capture], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let buf = '';
    let next = 0;
    let t0 = 0;
    const send = (m) => child.stdin.write(`${JSON.stringify(m)}\n`);
    const call = () =>
      send({
        jsonrpc: '2.0',
        id: next,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: `message ${(next % EXCHANGES) + 1}` } },
      });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = JSON.parse(line);
        if (m.error) return reject(new Error(`mock answered an error: ${m.error.message}`));
        if (m.id === 'init') {
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          t0 = performance.now();
          next = 1;
          call();
        } else if (next < calls) {
          next++;
          call();
        } else {
          const s = (performance.now() - t0) / 1000;
          child.stdin.end();
          resolve(calls / s);
        }
      }
    });
    child.on('error', reject);
    send({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'b', version: '1' },
      },
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'mcpscope-replay-bench-'));
try {
  const capture = join(dir, `replay-${EXCHANGES}.mcpscope.jsonl`);
  await writeCapture(capture, EXCHANGES);
  const rates = [];
  for (let r = 0; r < 3; r++) rates.push(await mockCallsPerSecond(capture, 20_000));
  const best = Math.max(...rates);
  console.log(
    `mock over stdio: ${rates.map((x) => Math.round(x)).join(' / ')} sequential tools/call per second (best ${Math.round(best)}; bar ≥ 5,000)`,
  );

  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      CLI,
      'replay',
      capture,
      '--json',
      '--out',
      join(dir, 'replayed.mcpscope.jsonl'),
      '--',
      process.execPath,
      CLI,
      'mock',
      capture,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const secs = (performance.now() - t0) / 1000;
  const json = JSON.parse(r.stdout);
  console.log(
    `replay of a ${EXCHANGES}-exchange capture against its own mock: ${secs.toFixed(2)} s, ${json.exchanges} exchanges, ${json.differences.length} differences, exit ${r.status} (bar < 10 s)`,
  );
  if (r.status !== 0 || json.exchanges !== EXCHANGES + 1)
    throw new Error(`replay failed: ${r.stderr}`);
  if (best < 5000 || secs >= 10) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
