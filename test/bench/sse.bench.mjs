// SSE parsing: one event of N MB (default 20) in 64 KiB chunks, through client mode's parser
// (eventsource-parser) and the recorder's own. Needs `npm run build`. Prints one JSON line.
//
//   node test/bench/sse.bench.mjs [MB]

import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const load = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { SseParser: ClientSse } = await load('electron/engine/client/sse.js');
const { SseParser: RecorderSse } = await load('shared/http/sse.js');

const mb = Number(process.argv[2] ?? 20);
const bytes = new TextEncoder().encode(`data: ${'x'.repeat(mb * 1024 * 1024)}\n\n`);
const parts = [];
for (let i = 0; i < bytes.length; i += 64 * 1024) parts.push(bytes.subarray(i, i + 64 * 1024));

function best(run) {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const n = run();
    const ms = performance.now() - t0;
    if (n !== 1) throw new Error(`expected one event, got ${n}`);
    min = Math.min(min, ms);
  }
  return Math.round(min);
}

const clientMs = best(() => {
  let n = 0;
  const p = new ClientSse(() => n++);
  for (const c of parts) p.push(c);
  p.end();
  return n;
});
const recorderMs = best(() => {
  let n = 0;
  const p = new RecorderSse();
  for (const c of parts) n += p.push(c).length;
  p.end();
  return n;
});
console.log(JSON.stringify({ bench: 'sse', eventMb: mb, clientMs, recorderMs }));
console.log(
  `one ${mb} MB SSE event: client mode (eventsource-parser) ${clientMs} ms, recorder ${recorderMs} ms (best of 5)`,
);
