// One session-summary builder: the engine's library and the browser-only import give the same
// numbers for the same capture (frames, errors incl. HTTP error statuses, server, duration).
import { describe, expect, it } from 'vitest';
import { Session } from '../../electron/engine/app/session.js';
import { encodeLine } from '../../shared/capture/codec.js';
import { sha256Hex } from '../../shared/capture/hash.js';
import { summarizeCapture } from '../../shared/capture/summary.js';
import type { EventRecord } from '../../shared/capture/types.js';
import { importCaptureText } from '../../renderer/src/model/import.js';
import { makeFrame, makeHeader } from '../helpers/factories.js';

const header = makeHeader({ transport: 'streamable-http', url: 'http://127.0.0.1:1/mcp' });
const records: EventRecord[] = [
  makeFrame(1, 'c2s', { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
  makeFrame(2, 's2c', {
    jsonrpc: '2.0',
    id: 1,
    result: {
      protocolVersion: '2025-06-18',
      serverInfo: { name: 'srv', version: '1' },
      capabilities: {},
    },
  }),
  makeFrame(3, 'c2s', { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'x' } }),
  makeFrame(4, 's2c', { jsonrpc: '2.0', id: 2, error: { code: -32602, message: 'bad' } }),
  makeFrame(5, 'c2s', 'not json'),
  { type: 'http', seq: 6, ts: 1500, dir: 's2c', stream: 'post-1', status: 503, headers: {} },
  { type: 'end', seq: 7, ts: 1600, reason: 'closed' },
];

describe('session summary', () => {
  it('counts frames and every kind of error once, and takes the server from the handshake', () => {
    const s = summarizeCapture(header, records, { id: 'x', origin: 'file', live: false });
    expect(s).toMatchObject({
      title: 'srv',
      frameCount: 5,
      errorCount: 3,
      recordCount: 8,
      closed: true,
      durationMs: 600,
      protocolVersion: '2025-06-18',
      server: { name: 'srv', version: '1' },
    });
  });

  it('the engine library and the browser import agree', () => {
    const session = new Session({ origin: 'imported', header, live: false });
    session.add(records);
    let prev = '';
    const lines = [header, ...records].map((r) => {
      const e = encodeLine(r, prev, sha256Hex);
      prev = e.hash;
      return e.line;
    });
    const text = `${lines.join('\n')}\n`;
    const imported = importCaptureText(text, () => false).summary;
    const engine = session.summary();
    for (const k of [
      'title',
      'frameCount',
      'errorCount',
      'recordCount',
      'closed',
      'durationMs',
      'server',
      'protocolVersion',
    ] as const)
      expect(imported[k]).toEqual(engine[k]);
  });
});
