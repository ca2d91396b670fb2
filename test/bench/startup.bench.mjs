// App start-up with a full library: writes N captures (default 200, each a handshake plus
// F tools/call exchanges, default 500) into a fresh data dir, then times AppEngine.start() (the
// library scan) and the first listSessions, best of 3: `startMs` with the sidecar indexes the
// writer left beside each capture (header line + sidecar, no parse), `noIndexMs` with the
// sidecars deleted before each run (every capture parsed in full, the pre-sidecar path, which
// then writes the sidecars again). Needs `npm run build`. Prints one JSON line {"bench":"startup",...}.
//
//   node test/bench/startup.bench.mjs [CAPTURES] [EXCHANGES]

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, writeHandshake } from './lib.mjs';

const load = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { CaptureWriter } = await load('electron/engine/capture/writer.js');
const { AppEngine } = await load('electron/engine/app/engine.js');

const captures = Number(process.argv[2] ?? 200);
const exchanges = Number(process.argv[3] ?? 500);
const home = mkdtempSync(join(tmpdir(), 'mcpscope-bench-startup-'));
try {
  let records = 0;
  for (let c = 0; c < captures; c++) {
    const w = new CaptureWriter({
      path: join(home, 'captures', `bench-${c}.mcpscope.jsonl`),
      source: { transport: 'stdio', command: ['node', `server-${c}.js`] },
    });
    const frame = (dir, v) =>
      w.append({ type: 'frame', dir, channel: 'stdio', text: JSON.stringify(v) });
    writeHandshake(frame, `server-${c}`, { initialized: false });
    for (let i = 1; i <= exchanges; i++) {
      frame('c2s', {
        jsonrpc: '2.0',
        id: i,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: `hello ${i}` } },
      });
      frame('s2c', {
        jsonrpc: '2.0',
        id: i,
        result: { content: [{ type: 'text', text: `Echo: hello ${i} `.repeat(8) }] },
      });
    }
    w.close('bench');
    records += w.records;
  }
  const dropSidecars = () => {
    const dir = join(home, 'captures');
    for (const f of readdirSync(dir)) if (f.endsWith('.idx.json')) rmSync(join(dir, f));
  };
  const time = async (before) => {
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      before?.();
      const t0 = performance.now();
      const engine = new AppEngine({ mode: 'browser', dataDir: home, liveFeed: false });
      await engine.start();
      const listed = (await engine.commands.listSessions(undefined)).length;
      best = Math.min(best, performance.now() - t0);
      await engine.dispose();
      if (listed !== captures) throw new Error(`listed ${listed} sessions, expected ${captures}`);
    }
    return Math.round(best);
  };
  const startMs = await time();
  const noIndexMs = await time(dropSidecars);
  console.log(
    JSON.stringify({
      bench: 'startup',
      captures,
      exchangesEach: exchanges,
      records,
      startMs,
      noIndexMs,
    }),
  );
  console.log(
    `start-up with ${captures} captures of ${exchanges} exchanges each, to a listed library (best of 3): ${startMs} ms from sidecar indexes, ${noIndexMs} ms parsing every capture (sidecars deleted)`,
  );
} finally {
  rmSync(home, { recursive: true, force: true });
}
