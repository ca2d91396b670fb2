// Writes a large hash-chained capture fast (no fsync per record, unlike the recorder): a stdio
// session whose server answers each tools/call with a frame of about 1 MB of text that mentions
// an e-mail address, until the file reaches the size asked for. Unsigned (as a recorder without
// a key writes it), ends with its end record. For the streamed-export test and bench. With
// `{ transport: 'streamable-http' }` the same session as the Streamable HTTP recorder writes it:
// each message is one POST (an `http` record, its body frame, the response's `http` record and
// its JSON body frame, tied by a stream id), for HAR.
//
//   node test/bench/gen-big-capture.mjs OUT.mcpscope.jsonl [MB] [stdio|streamable-http]

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { writeHandshake } from './lib.mjs';

const sha = (s) => createHash('sha256').update(s).digest('hex');

/**
 * @param {string} path
 * @param {number} megabytes
 * @param {{ transport?: 'stdio' | 'streamable-http' }} [options]
 * @returns {{ path: string, bytes: number, records: number }}
 */
export function writeBigCapture(path, megabytes, { transport = 'stdio' } = {}) {
  const http = transport === 'streamable-http';
  const fd = openSync(path, 'w', 0o600);
  let prev = '';
  let seq = 0;
  let ts = Date.UTC(2026, 0, 1);
  let bytes = 0;
  const emit = (record) => {
    const body = JSON.stringify({ seq: seq++, ts: (ts += 1.5), ...record });
    const hash = sha(`${prev}\n${body}`);
    prev = hash;
    const line = `${body.slice(0, -1)},"hash":"${hash}"}\n`;
    bytes += Buffer.byteLength(line);
    writeSync(fd, line);
  };
  let stream = 0;
  const frame = (dir, value) => {
    if (!http) return emit({ type: 'frame', dir, channel: 'stdio', text: JSON.stringify(value) });
    // A request opens a POST; the answer (or a 202 for a notification) closes it.
    if (dir === 'c2s') {
      stream++;
      emit({
        type: 'http',
        dir,
        stream: `h${stream}`,
        method: 'POST',
        path: '/mcp',
        headers: { 'content-type': 'application/json' },
      });
      emit({
        type: 'frame',
        dir,
        channel: 'http-request',
        stream: `h${stream}`,
        text: JSON.stringify(value),
      });
      if (value.id === undefined)
        emit({ type: 'http', dir: 's2c', stream: `h${stream}`, status: 202, headers: {} });
      return;
    }
    emit({
      type: 'http',
      dir,
      stream: `h${stream}`,
      status: 200,
      headers: { 'content-type': 'application/json', 'mcp-session-id': 'big-session' },
    });
    emit({
      type: 'frame',
      dir,
      channel: 'http-response',
      stream: `h${stream}`,
      text: JSON.stringify(value),
    });
  };
  try {
    emit({
      type: 'header',
      format: 'mcpscope-capture',
      version: 1,
      tool: 'mcpscope/0.1.0',
      created: new Date(ts).toISOString(),
      id: randomBytes(8).toString('hex'),
      source: http
        ? { transport: 'streamable-http', url: 'http://127.0.0.1:3000/mcp', name: 'big' }
        : { transport: 'stdio', command: ['node', 'big-server.mjs'], name: 'big' },
    });
    writeHandshake(frame, 'big-server', { initialized: false });
    const para = 'The quick brown fox jumps over the lazy dog; report 42 was filed. '.repeat(
      15_000,
    );
    for (let id = 1; bytes < megabytes * 1e6; id++) {
      frame('c2s', {
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'read', arguments: { n: id } },
      });
      frame('s2c', {
        jsonrpc: '2.0',
        id,
        result: {
          content: [{ type: 'text', text: `Mail ops${id % 5}@acme-mail.net about it. ${para}` }],
        },
      });
    }
    emit({ type: 'end', reason: 'done' });
  } finally {
    closeSync(fd);
  }
  return { path, bytes, records: seq };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node test/bench/gen-big-capture.mjs OUT.mcpscope.jsonl [MB]');
  const r = writeBigCapture(out, Number(process.argv[3] ?? 620), {
    transport: process.argv[4] === 'streamable-http' ? 'streamable-http' : 'stdio',
  });
  console.log(`${r.path}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.records} records`);
}
