#!/usr/bin/env node
// Team store (PostgreSQL) benchmark. Starts its own throwaway PostgreSQL (initdb + pg_ctl in a
// temp dir, fsync off; MCPSCOPE_PG_BIN or /usr/lib/postgresql/15/bin), then measures:
//   1. push throughput: a generated capture of --frames frames (default 100,000) pushed with the
//      engine's pushCapture (lines + derived messages, findings, data flow), in records/s;
//   2. storage: every mcpscope table's size (pg_total_relation_size, indexes and TOAST included)
//      after that one push, scaled linearly to one million frames (every row is per record or
//      per message, so the size grows with the frame count);
//   3. 10 concurrent stdio recorders (server-everything, sequential tools/call echo) with and
//      without --sink into the one database, alternating rounds in this run: the ratio of their
//      call rates (quality bar: the sink slows the traffic by at most 5 %), with the database on
//      a CPU of its own (--layout split: taskset) and sharing the traffic's CPUs (shared).
// Needs `npm run build`. Skips (exit 0, with the reason) without the PostgreSQL binaries,
// unless CI=true.
//   node test/bench/store.bench.mjs [--frames N] [--recorders R] [--calls C] [--rounds K]
//     [--settle-ms MS] [--layout split,shared] [--only plain|sink] [--prof-dir DIR]
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { writeCapture } from './gen-capture.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'mcpscope.js');
const EVERYTHING = join(
  ROOT,
  'node_modules',
  '@modelcontextprotocol',
  'server-everything',
  'dist',
  'index.js',
);
const load = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);

const { values } = parseArgs({
  options: {
    frames: { type: 'string', default: '100000' },
    recorders: { type: 'string', default: '10' },
    calls: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '4' },
    // After the warm-up calls, every recorder waits this long before the clock starts, so that
    // start-up (connecting to the database, the schema check, the session row) is over in both
    // modes; the CPU it took is reported on its own.
    'settle-ms': { type: 'string', default: '2000' },
    // Where the traffic and PostgreSQL run: split (the database on a CPU of its own), shared, or both.
    layout: { type: 'string', default: 'split,shared' },
    // For profiling one side alone (no ratio): --only plain | --only sink.
    only: { type: 'string' },
    // Writes a V8 CPU profile of every recorder into this folder (node --cpu-prof).
    'prof-dir': { type: 'string' },
  },
});
const FRAMES = Number(values.frames);
const RECORDERS = Number(values.recorders);
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const SETTLE_MS = Number(values['settle-ms']);

const PG_BIN = process.env.MCPSCOPE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
if (!existsSync(join(PG_BIN, 'initdb'))) {
  const why = `no PostgreSQL binaries in ${PG_BIN} (install Debian's postgresql or set MCPSCOPE_PG_BIN)`;
  if (process.env.CI === 'true') throw new Error(why);
  console.log(`store bench skipped: ${why}`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'mcpscope-store-bench-'));
chmodSync(dir, 0o777);
const data = join(dir, 'data');
const asPg = (args) =>
  process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' })
    : execFileSync(args[0], args.slice(1), { stdio: 'pipe' });
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
asPg([
  join(PG_BIN, 'initdb'),
  '-D',
  data,
  '-U',
  'postgres',
  '--auth=trust',
  '--no-sync',
  '-E',
  'UTF8',
]);
asPg([
  join(PG_BIN, 'pg_ctl'),
  '-D',
  data,
  '-l',
  join(dir, 'log'),
  '-w',
  '-o',
  `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
  'start',
]);
const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
const stopPg = () => {
  try {
    asPg([join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop']);
  } catch {
    /* already stopped */
  }
};

try {
  const { openStore } = await load('electron/engine/store/pg.js');
  const { pushCapture } = await load('electron/engine/store/push.js');

  // 1 + 2: push throughput and size.
  const cap = await writeCapture(join(dir, 'push.mcpscope.jsonl'), { frames: FRAMES });
  console.log(`pushing ${cap.frames} frames…`);
  const fileBytes = statSync(cap.path).size;
  const c = await openStore(url);
  const t0 = performance.now();
  const r = await pushCapture(c, cap.path);
  const pushSecs = (performance.now() - t0) / 1000;
  const sizes = await c.query(
    `SELECT relname AS table, pg_total_relation_size(oid) AS bytes FROM pg_class
     WHERE relkind = 'r' AND relname LIKE 'mcpscope\\_%' ORDER BY relname`,
  );
  await c.end();
  const dbBytes = sizes.rows.reduce((n, x) => n + Number(x.bytes), 0);
  const perMillion = (b) => (b * 1e6) / cap.frames;
  const mb = (b) => Math.round(b / 1e5) / 10;

  // 3: concurrent recorders with and without --sink.
  function driver(args) {
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    let err = '';
    child.stderr.on('data', (x) => (err += x));
    const waiters = new Map();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (x) => {
      buf += x;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const msg = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        if (msg.id !== undefined && waiters.has(msg.id)) {
          waiters.get(msg.id)(msg);
          waiters.delete(msg.id);
        }
      }
    });
    const exited = new Promise((res) => child.on('close', res));
    return {
      pid: child.pid,
      request: (id, method, params) =>
        new Promise((resolve, reject) => {
          const t = setTimeout(
            () => reject(new Error(`timeout on ${method} #${id}: ${err}`)),
            300_000,
          );
          waiters.set(id, (m) => {
            clearTimeout(t);
            resolve(m);
          });
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
        }),
      notify: (method) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`),
      async close() {
        child.stdin.end();
        const code = await exited;
        return { code, err };
      },
    };
  }
  async function oneRecorder(k, round, sink) {
    const out = join(dir, `r${round}-${sink ? 'sink' : 'plain'}-${k}.mcpscope.jsonl`);
    const d = driver([
      ...(values['prof-dir'] ? ['--cpu-prof', '--cpu-prof-dir', values['prof-dir']] : []),
      CLI,
      'record',
      '--out',
      out,
      ...(sink ? ['--sink', url] : []),
      '--',
      process.execPath,
      EVERYTHING,
      'stdio',
    ]);
    await d.request(0, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'bench', version: '1' },
    });
    d.notify('notifications/initialized');
    for (let i = 1; i <= 20; i++)
      await d.request(i, 'tools/call', { name: 'echo', arguments: { message: `warm ${i}` } });
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    return {
      d,
      async run() {
        const cpu0 = cpuSeconds(d.pid);
        const t = performance.now();
        for (let i = 1; i <= CALLS; i++) {
          const m = await d.request(100 + i, 'tools/call', {
            name: 'echo',
            arguments: { message: `hello ${i}` },
          });
          if (!m.result) throw new Error(`echo failed: ${JSON.stringify(m)}`);
        }
        const rate = CALLS / ((performance.now() - t) / 1000);
        const cpu1 = cpuSeconds(d.pid);
        return {
          rate,
          cpu: cpu1.total - cpu0.total,
          sys: cpu1.sys - cpu0.sys,
        };
      },
    };
  }
  // CPU seconds (user + system, and system alone) a process has used so far, from /proc (Linux).
  function cpuSeconds(pid) {
    const fields = (path) => {
      const st = readFileSync(path, 'utf8');
      return st.slice(st.lastIndexOf(')') + 2).split(' ');
    };
    try {
      const f = fields(`/proc/${pid}/stat`);
      const total = (Number(f[11]) + Number(f[12])) / 100;
      const sys = Number(f[12]) / 100;
      return { total, sys };
    } catch {
      return { total: 0, sys: 0 };
    }
  }
  // The machine's busy CPU seconds so far (all cores: user, nice, system, irq, softirq), from
  // /proc/stat; and PostgreSQL's (the postmaster, the children it reaped, its live children).
  const TICK = 100;
  function machineCpu() {
    try {
      const f = readFileSync('/proc/stat', 'utf8')
        .split('\n')[0]
        .trim()
        .split(/\s+/)
        .slice(1)
        .map(Number);
      return (f[0] + f[1] + f[2] + f[5] + f[6]) / TICK;
    } catch {
      return 0;
    }
  }
  // PostgreSQL's CPU seconds so far, by kind: client backends (the sinks' connections), its
  // background processes (WAL writer, checkpointer, …), and the children it has reaped (mostly
  // autovacuum workers, which come and go).
  function pgCpu() {
    const out = { total: 0, backends: 0, background: 0, reaped: 0 };
    try {
      const master = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const stat = (pid) => {
        const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return st.slice(st.lastIndexOf(')') + 2).split(' ');
      };
      const m = stat(master);
      out.background += (Number(m[11]) + Number(m[12])) / TICK;
      out.reaped += (Number(m[13]) + Number(m[14])) / TICK;
      for (const e of readdirSync('/proc')) {
        if (!/^\d+$/.test(e)) continue;
        try {
          const f = stat(e);
          if (Number(f[1]) !== master) continue;
          const cpu = (Number(f[11]) + Number(f[12])) / TICK;
          const title = readFileSync(`/proc/${e}/cmdline`, 'utf8');
          if (/postgres: \S+ \S+ 127\.0\.0\.1/.test(title)) out.backends += cpu;
          else out.background += cpu;
        } catch {
          /* gone */
        }
      }
    } catch {
      /* not running */
    }
    out.total = out.backends + out.background + out.reaped;
    return out;
  }
  // CPU layouts. "split": the traffic (this driver, the recorders, their servers) on every CPU but
  // the last, PostgreSQL on the last one: the database on a CPU of its own, as a team store runs
  // on its own server, so what is measured is what the sink costs the traffic itself. "shared":
  // everything on every CPU, the database's own work competing with the traffic.
  const ncpu = availableParallelism();
  const allCpus = `0-${ncpu - 1}`;
  function pin(pid, cpus) {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'pipe' });
  }
  function pinPostgres(cpus) {
    const master = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    pin(master, cpus);
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const st = readFileSync(`/proc/${e}/stat`, 'utf8');
        if (Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]) === master)
          pin(Number(e), cpus);
      } catch {
        /* gone */
      }
    }
  }
  function setLayout(layout) {
    if (layout === 'split') {
      pin(process.pid, ncpu > 2 ? `0-${ncpu - 2}` : '0');
      pinPostgres(String(ncpu - 1));
    } else {
      pin(process.pid, allCpus);
      pinPostgres(allCpus);
    }
  }

  async function measure(layout) {
    setLayout(layout);
    const recorderCpu = { plain: 0, sink: 0 };
    const recorderSys = { plain: 0, sink: 0 };
    const totalCpu = { plain: 0, sink: 0 };
    const postgresCpu = { plain: 0, sink: 0 };
    const postgresSinkParts = { backends: 0, background: 0, reaped: 0 };
    const startCpu = { plain: 0, sink: 0 };
    async function round(i, sink) {
      const mode = sink ? 'sink' : 'plain';
      const recs = await Promise.all(
        Array.from({ length: RECORDERS }, (_, k) => oneRecorder(k, `${layout}-${i}`, sink)),
      );
      startCpu[mode] += recs.reduce((a, x) => a + cpuSeconds(x.d.pid).total, 0);
      const m0 = machineCpu();
      const p0 = pgCpu();
      const runs = await Promise.all(recs.map((x) => x.run()));
      totalCpu[mode] += machineCpu() - m0;
      const p1 = pgCpu();
      postgresCpu[mode] += p1.total - p0.total;
      if (sink)
        for (const k of Object.keys(postgresSinkParts)) postgresSinkParts[k] += p1[k] - p0[k];
      recorderCpu[mode] += runs.reduce((a, x) => a + x.cpu, 0);
      recorderSys[mode] += runs.reduce((a, x) => a + x.sys, 0);
      const ends = await Promise.all(recs.map((x) => x.d.close()));
      for (const e of ends)
        if (e.code !== 0) throw new Error(`a recorder exited with ${e.code}: ${e.err}`);
      if (sink && ends.some((e) => !e.err.includes('capture stored in the team store')))
        throw new Error(
          `a sink did not complete its session: ${ends.map((e) => e.err).join('\n')}`,
        );
      return runs.reduce((a, x) => a + x.rate, 0);
    }
    console.log(`${layout}: ${RECORDERS} concurrent recorders, ${ROUNDS} rounds each way…`);
    const plain = [];
    const sinked = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternating in ABBA order (plain, sink, sink, plain, …), so drift in the machine's load and
      // whatever one round leaves behind (PostgreSQL's autovacuum after sink rounds) hit both modes alike.
      const order = i % 2 === 0 ? [false, true] : [true, false];
      for (const sink of order) {
        if (values.only === (sink ? 'plain' : 'sink')) continue;
        (sink ? sinked : plain).push(await round(i, sink));
      }
    }
    const sum = (xs) => xs.reduce((a, b) => a + b, 0);
    const ratio = sum(sinked) / sum(plain);
    // Per pair (plain round i, sink round i): less sensitive to load drifting across the run.
    const pairs = sinked.map((x, i) => x / plain[i]).sort((a, b) => a - b);
    const medianPair = pairs.length
      ? (pairs[(pairs.length - 1) >> 1] + pairs[pairs.length >> 1]) / 2
      : Number.NaN;
    const per = (x, n) => Math.round((x * 1e6) / (CALLS * RECORDERS * Math.max(1, n)));
    const res = {
      layout,
      cpus:
        layout === 'split'
          ? { traffic: ncpu > 2 ? `0-${ncpu - 2}` : '0', postgres: String(ncpu - 1) }
          : { traffic: allCpus, postgres: allCpus },
      callsPerSecPlain: plain.map(Math.round),
      callsPerSecSink: sinked.map(Math.round),
      sinkRateRatio: Math.round(ratio * 1000) / 1000,
      sinkRateRatioMedianPair: Math.round(medianPair * 1000) / 1000,
      // Every pair's ratio, lowest first: the spread says how far one figure can be trusted.
      pairRatios: pairs.map((x) => Math.round(x * 1000) / 1000),
      // The recorders' own CPU during the calls, per 1,000 calls, and the kernel's part of it.
      recorderCpuMsPerKiloCallPlain: per(recorderCpu.plain, plain.length),
      recorderCpuMsPerKiloCallSink: per(recorderCpu.sink, sinked.length),
      recorderSysMsPerKiloCallPlain: per(recorderSys.plain, plain.length),
      recorderSysMsPerKiloCallSink: per(recorderSys.sink, sinked.length),
      // The whole machine's CPU during the calls, per 1,000 calls, and PostgreSQL's part of it:
      // the sinks' connections, its background processes, reaped children (autovacuum).
      machineCpuMsPerKiloCallPlain: per(totalCpu.plain, plain.length),
      machineCpuMsPerKiloCallSink: per(totalCpu.sink, sinked.length),
      postgresCpuMsPerKiloCallSink: per(postgresCpu.sink, sinked.length),
      postgresCpuMsPerKiloCallSinkParts: Object.fromEntries(
        Object.entries(postgresSinkParts).map(([k, v]) => [k, per(v, sinked.length)]),
      ),
      // Each recorder's CPU from its launch to the start of the clock (start-up, the handshake,
      // the warm-up calls, settling): once per recording, not part of the traffic's rate.
      recorderStartCpuMsPlain: Math.round(
        (startCpu.plain * 1000) / (RECORDERS * Math.max(1, plain.length)),
      ),
      recorderStartCpuMsSink: Math.round(
        (startCpu.sink * 1000) / (RECORDERS * Math.max(1, sinked.length)),
      ),
      // The noise floor: the slowest plain round against the fastest, in this run.
      plainRoundSpread: Math.round((Math.min(...plain) / Math.max(...plain)) * 1000) / 1000,
    };
    const where =
      layout === 'split'
        ? `traffic on CPU ${res.cpus.traffic}, PostgreSQL on CPU ${res.cpus.postgres}`
        : `traffic and PostgreSQL on CPUs ${allCpus}`;
    console.log(
      `${layout} (${where}): ${res.callsPerSecPlain.join(', ')} calls/s without --sink, ${res.callsPerSecSink.join(', ')} with → ratio ${res.sinkRateRatio} (median of the round pairs ${res.sinkRateRatioMedianPair}, pairs ${res.pairRatios.join(' / ')}; plain rounds alone vary by ${res.plainRoundSpread}×)\n` +
        `  recorder CPU during the calls: ${res.recorderCpuMsPerKiloCallPlain} ms per 1,000 calls without --sink (${res.recorderSysMsPerKiloCallPlain} ms in the kernel), ${res.recorderCpuMsPerKiloCallSink} ms with (${res.recorderSysMsPerKiloCallSink} ms in the kernel)\n` +
        `  recorder start-up CPU (launch, handshake, 20 warm-up calls, ${SETTLE_MS} ms settling): ${res.recorderStartCpuMsPlain} ms per recorder without --sink, ${res.recorderStartCpuMsSink} ms with\n` +
        `  machine CPU during the calls: ${res.machineCpuMsPerKiloCallPlain} ms per 1,000 calls without --sink, ${res.machineCpuMsPerKiloCallSink} ms with (PostgreSQL ${res.postgresCpuMsPerKiloCallSink} ms: connections ${res.postgresCpuMsPerKiloCallSinkParts.backends}, background ${res.postgresCpuMsPerKiloCallSinkParts.background}, autovacuum and other reaped ${res.postgresCpuMsPerKiloCallSinkParts.reaped})`,
    );
    return res;
  }

  console.log(
    `push: ${r.records} records in ${Math.round(pushSecs * 100) / 100} s = ${Math.round(r.records / pushSecs)} records/s\n` +
      `size: ${mb(dbBytes)} MB in PostgreSQL for ${cap.frames} frames (file ${mb(fileBytes)} MB) → ${mb(perMillion(dbBytes))} MB per million frames (file ${mb(perMillion(fileBytes))} MB); ${sizes.rows.map((x) => `${x.table} ${mb(Number(x.bytes))} MB`).join(', ')}`,
  );
  const layouts = values.layout.split(',').map((x) => x.trim());
  for (const l of layouts)
    if (l !== 'split' && l !== 'shared') throw new Error(`--layout: "${l}" is not split or shared`);
  if (layouts.includes('split') && ncpu < 2)
    throw new Error('--layout split needs two CPUs or more');
  const measured = [];
  for (const l of layouts) measured.push(await measure(l));
  const result = {
    bench: 'store',
    frames: cap.frames,
    records: r.records,
    pushSeconds: Math.round(pushSecs * 100) / 100,
    pushRecordsPerSec: Math.round(r.records / pushSecs),
    fileBytes,
    dbBytes,
    tables: Object.fromEntries(sizes.rows.map((x) => [x.table, Number(x.bytes)])),
    dbMBPerMillionFrames: mb(perMillion(dbBytes)),
    fileMBPerMillionFrames: mb(perMillion(fileBytes)),
    recorders: RECORDERS,
    callsPerRecorder: CALLS,
    rounds: ROUNDS,
    settleMs: SETTLE_MS,
    layouts: measured,
  };
  console.log(JSON.stringify(result));
  // The bar (the sink slows the traffic by at most 5 %) is checked with the database on a CPU of
  // its own ("split") when that layout ran; "shared" says what a database on the same cores costs.
  const barred = measured.find((m) => m.layout === 'split') ?? measured[0];
  if (barred && !values.only) {
    console.log(
      `bar (≥ 0.95, ${barred.layout}): ${barred.sinkRateRatio}${barred.sinkRateRatio >= 0.95 ? ' met' : ' NOT met'}`,
    );
    if (barred.sinkRateRatio < 0.95) {
      console.log('!! the sink slowed the recorders by more than 5 %');
      process.exitCode = 1;
    }
  }
} catch (e) {
  console.log(`store bench failed: ${e.stack ?? e}`);
  process.exitCode = 1;
} finally {
  stopPg();
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  } catch {
    // A recorder's file may still be closing; the temp folder is left for the OS to clean.
  }
}
