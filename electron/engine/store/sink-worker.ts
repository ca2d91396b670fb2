// The live half of `record --sink`, run in a worker thread at a lower CPU priority (nice + 10 on
// that thread only; Linux prioritises threads, so the recorder's own thread keeps its priority).
// The recorder's thread does nothing per line: this worker follows the capture FILE itself (the
// writer's lines are in the OS's page cache), reading what was appended since its last look every
// `flushMs`, and stores complete lines in batches. It has its own heap, so the lines it holds never
// add to the recorder's garbage collections. When the machine is busy, the worker waits its turn
// behind the traffic and falls behind; the final push (sink.ts) stores whatever it did not.
//
// Plain JavaScript evaluated as a worker (like the schema validator's), so it runs the same from
// dist/ and from the TypeScript sources under test. It needs only `pg` (resolved by the caller).

/** What the recorder's thread hands the worker. */
export interface SinkWorkerData {
  /** Absolute path of the `pg` package's entry. */
  pg: string;
  url: string;
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  /** The capture file to follow. */
  path: string;
  /** Session row values: id, created, transport, server, source (JSON). */
  session: [string, string, string, string | null, string];
  flushMs: number;
  batchLines: number;
  /** Most bytes read (and stored) at once. */
  batchBytes: number;
  /** A line longer than this pauses live storing (the final push stores it). */
  maxLineBytes: number;
  /** Lower the worker thread's priority by this much (0: leave it). */
  nice: number;
}

/** Worker → recorder. */
export type SinkWorkerMessage =
  | { type: 'down'; message: string }
  | { type: 'paused'; message: string }
  | { type: 'stopped'; storedPrefix: number; liveLines: number };

export const SINK_WORKER_SOURCE = `
const { parentPort, workerData: d } = require('node:worker_threads');
const { openSync, fstatSync, readSync, closeSync } = require('node:fs');
const os = require('node:os');
if (d.nice > 0) {
  try { os.setPriority(Math.min(19, os.getPriority() + d.nice)); } catch {}
}
const pg = require(d.pg);
const INSERT = {
  name: 'mcpscope_sink_lines_v1',
  text: \`WITH ins AS (INSERT INTO mcpscope_records (session_id, line_no, line)
           SELECT $1, $2::int + t.n::int - 1, t.l
           FROM unnest(string_to_array($3::text, E'\\\\n')) WITH ORDINALITY AS t (l, n)
           ON CONFLICT DO NOTHING RETURNING 1)
         UPDATE mcpscope_sessions SET records = records + (SELECT count(*) FROM ins), pushed_at = now()
         WHERE id = $1 AND NOT complete
         RETURNING (SELECT count(*) FROM ins) AS inserted\`,
};
let client, fd, timer, busy;
let offset = 0, lineNo = 0, storedPrefix = 0, liveLines = 0;
let stopping = false, finished = false, paused = false;
const id = d.session[0];

function finish() {
  if (finished) return;
  finished = true;
  if (timer) clearTimeout(timer);
  if (fd !== undefined) try { closeSync(fd); } catch {}
  parentPort.postMessage({ type: 'stopped', storedPrefix, liveLines });
  const c = client;
  client = undefined;
  if (c) c.end().catch(() => undefined);
}
function down(e) {
  if (finished) return;
  parentPort.postMessage({ type: 'down', message: String((e && e.message) || e).split('\\n')[0] });
  finish();
}
function read(at, n) {
  const b = Buffer.allocUnsafe(n);
  let got = 0;
  while (got < n) {
    const k = readSync(fd, b, got, n - got, at + got);
    if (k === 0) break;
    got += k;
  }
  return b.subarray(0, got);
}
async function storeLines(text) {
  const lines = text.split('\\n');
  for (let i = 0; i < lines.length && !finished; i += d.batchLines) {
    const part = lines.slice(i, i + d.batchLines);
    const first = lineNo;
    const r = await client.query({ ...INSERT, values: [id, first, part.join('\\n')] });
    lineNo += part.length;
    liveLines += part.length;
    // Only lines this worker inserted itself, from line 0 on, count as stored for the final push.
    if (first === storedPrefix && Number((r.rows[0] && r.rows[0].inserted) || 0) === part.length)
      storedPrefix += part.length;
  }
}
async function tick() {
  while (!stopping && !paused) {
    const size = fstatSync(fd).size;
    if (size <= offset) return;
    let want = Math.min(size - offset, d.batchBytes);
    let chunk = read(offset, want);
    let nl = chunk.lastIndexOf(10);
    while (nl < 0 && want < size - offset && want < d.maxLineBytes) {
      want = Math.min(size - offset, d.maxLineBytes, want * 4);
      chunk = read(offset, want);
      nl = chunk.lastIndexOf(10);
    }
    if (nl < 0) {
      if (want >= d.maxLineBytes) {
        paused = true;
        parentPort.postMessage({ type: 'paused', message: 'a line over ' + Math.round(d.maxLineBytes / 1048576) + ' MiB' });
      }
      return;
    }
    await storeLines(chunk.toString('utf8', 0, nl));
    offset += nl + 1;
  }
}
function schedule() {
  if (stopping || finished) return;
  timer = setTimeout(() => {
    timer = undefined;
    busy = tick().then(schedule, down);
  }, d.flushMs);
}
parentPort.on('message', (m) => {
  if (m && m.type === 'stop') {
    stopping = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    Promise.resolve(busy).then(finish, finish);
  }
});
(async () => {
  client = new pg.Client({
    connectionString: d.url,
    connectionTimeoutMillis: d.connectTimeoutMs,
    query_timeout: d.queryTimeoutMs,
  });
  client.on('error', () => undefined);
  await client.connect();
  await client.query(
    \`INSERT INTO mcpscope_sessions (id, created, transport, server, source, records, final_hash, bytes, trailing_newline, complete)
     VALUES ($1, $2, $3, $4, $5, 0, '', 0, true, false) ON CONFLICT (id) DO NOTHING\`,
    d.session,
  );
  fd = openSync(d.path, 'r');
  if (stopping) return finish();
  busy = tick().then(schedule, down);
})().catch(down);
`;
