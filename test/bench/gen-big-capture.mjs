// Writes a large hash-chained capture fast (no fsync per record, unlike the recorder): a stdio
// session whose server answers each tools/call with a frame of about 1 MB of text that mentions
// an e-mail address, until the file reaches the size asked for. Unsigned (as a recorder without
// a key writes it), ends with its end record. For the streamed-export test and bench.
//
//   node test/bench/gen-big-capture.mjs OUT.mcpscope.jsonl [MB]

import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { writeHandshake } from './lib.mjs';

const sha = (s) => createHash('sha256').update(s).digest('hex');

/**
 * @param {string} path
 * @param {number} megabytes
 * @returns {{ path: string, bytes: number, records: number }}
 */
export function writeBigCapture(path, megabytes) {
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
  const frame = (dir, value) =>
    emit({ type: 'frame', dir, channel: 'stdio', text: JSON.stringify(value) });
  try {
    emit({
      type: 'header',
      format: 'mcpscope-capture',
      version: 1,
      tool: 'mcpscope/0.1.0',
      created: new Date(ts).toISOString(),
      id: randomBytes(8).toString('hex'),
      source: { transport: 'stdio', command: ['node', 'big-server.mjs'], name: 'big' },
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
  const r = writeBigCapture(out, Number(process.argv[3] ?? 620));
  console.log(`${r.path}: ${(r.bytes / 1e6).toFixed(1)} MB, ${r.records} records`);
}
